/**
 * The one catalog query behind `introspectCatalog`: a single round trip that returns every family
 * of objects as JSON text. Oids appear only as join keys (`rel`, `typ`, argument type oids into
 * `argumentTypes`); the snapshot never keeps them. Per-row lookups are joins or one set-based pass
 * (comments join pg_description; col_description/obj_description per row cost several times more
 * on large schemas), and the sub-selects left correlated with a row are index lookups or unnest the row's own arrays. Runs with search_path = pg_catalog (set by the caller) so that format_type, pg_get_*def
 * and pg_get_expr qualify every user object the same way whatever the session's path was.
 *
 * $1 text[]: schemas to include even when excluded ($2) or owned by a preset; empty = all.
 * $2 text[]: schemas to exclude (system schemas are always excluded).
 * Works on PostgreSQL 14+ (pg_get_function_sqlbody) and PGlite (PostgreSQL 17/18).
 */
export const INTROSPECT_QUERY = `
WITH ns AS (
  SELECT n.oid, n.nspname, n.nspowner, n.nspacl
  FROM pg_catalog.pg_namespace n
  WHERE n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
    AND (n.nspname = ANY ($1::text[]) OR (cardinality($1::text[]) = 0 AND NOT n.nspname = ANY ($2::text[])))
),
members AS (
  SELECT d.classid, d.objid FROM pg_catalog.pg_extension e
  JOIN pg_catalog.pg_depend d ON d.refclassid = 'pg_catalog.pg_extension'::regclass AND d.refobjid = e.oid AND d.deptype = 'e'
),
rels AS (
  SELECT c.oid, n.nspname, c.relname, c.relkind, c.relowner, c.relacl, c.reloptions, c.relrowsecurity,
    c.relforcerowsecurity, c.relispartition, c.relpartbound
  FROM pg_catalog.pg_class c JOIN ns n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p', 'f', 'v', 'm', 'S')
    AND NOT EXISTS (SELECT 1 FROM members m WHERE m.classid = 'pg_catalog.pg_class'::regclass AND m.objid = c.oid)
),
cons AS (
  SELECT c.oid, c.conrelid, c.contypid, c.conname, c.contype, c.conkey, c.confrelid, c.confkey, c.convalidated, c.condeferrable, c.conparentid
  FROM pg_catalog.pg_constraint c
  WHERE c.contype <> 'n' AND (c.conrelid IN (SELECT oid FROM rels)
    OR c.contypid IN (SELECT t.oid FROM pg_catalog.pg_type t JOIN ns n ON n.oid = t.typnamespace WHERE t.typtype = 'd'))
),
-- Key column names in one set-based pass: a correlated sub-select per constraint or index
-- (unnest + join + aggregate each time) cost most of these sections on large schemas.
constraint_columns AS (
  SELECT k.oid, k.referenced, json_agg(a.attname ORDER BY k.i) AS names
  FROM (SELECT c.oid, false AS referenced, c.conrelid AS rel, x.n, x.i FROM cons c, unnest(c.conkey) WITH ORDINALITY x(n, i)
    UNION ALL SELECT c.oid, true, c.confrelid, x.n, x.i FROM cons c, unnest(c.confkey) WITH ORDINALITY x(n, i)) k
  JOIN pg_catalog.pg_attribute a ON a.attrelid = k.rel AND a.attnum = k.n
  GROUP BY k.oid, k.referenced
),
idx AS (
  SELECT i.indexrelid, i.indrelid, i.indkey, i.indnkeyatts, i.indisunique, i.indisprimary, i.indisvalid, i.indpred
  FROM pg_catalog.pg_index i JOIN rels r ON r.oid = i.indrelid
),
index_columns AS (
  SELECT x.indexrelid, json_agg(a.attname ORDER BY k.i) AS names
  FROM idx x CROSS JOIN LATERAL unnest(x.indkey::int2[]) WITH ORDINALITY k(n, i)
  LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.n AND k.n > 0
  WHERE k.i <= x.indnkeyatts
  GROUP BY x.indexrelid
),
grants AS (
  SELECT acl.oid, json_agg(json_build_array(CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_catalog.pg_get_userbyid(a.grantee) END, a.privilege_type)) AS list
  FROM (
    SELECT r.oid, coalesce(r.relacl, pg_catalog.acldefault(CASE WHEN r.relkind = 'S' THEN 's' ELSE 'r' END::"char", r.relowner)) AS acl FROM rels r
    UNION ALL SELECT n.oid, coalesce(n.nspacl, pg_catalog.acldefault('n'::"char", n.nspowner)) FROM ns n
    UNION ALL SELECT p.oid, coalesce(p.proacl, pg_catalog.acldefault('f'::"char", p.proowner)) FROM pg_catalog.pg_proc p JOIN ns n ON n.oid = p.pronamespace
  ) acl, LATERAL pg_catalog.aclexplode(acl.acl) a
  GROUP BY acl.oid
)
SELECT json_build_object(
  'serverVersionNum', current_setting('server_version_num')::int,
  'schemas', (SELECT coalesce(json_agg(json_build_object(
      'name', n.nspname, 'owner', pg_catalog.pg_get_userbyid(n.nspowner),
      'comment', ds.description, 'grants', g.list)), '[]')
    FROM ns n LEFT JOIN grants g ON g.oid = n.oid
    LEFT JOIN pg_catalog.pg_description ds ON ds.objoid = n.oid AND ds.classoid = 'pg_catalog.pg_namespace'::regclass AND ds.objsubid = 0),
  'extensions', (SELECT coalesce(json_agg(json_build_object('name', e.extname, 'schema', n.nspname, 'version', e.extversion)), '[]')
    FROM pg_catalog.pg_extension e JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace),
  'relations', (SELECT coalesce(json_agg(json_build_object(
      'oid', r.oid, 'schema', r.nspname, 'name', r.relname, 'relkind', r.relkind,
      'owner', pg_catalog.pg_get_userbyid(r.relowner), 'comment', ds.description,
      'options', r.reloptions, 'rlsEnabled', r.relrowsecurity, 'rlsForced', r.relforcerowsecurity,
      'partitionKey', CASE WHEN r.relkind = 'p' THEN pg_catalog.pg_get_partkeydef(r.oid) END,
      'partitionBound', CASE WHEN r.relispartition THEN pg_catalog.pg_get_expr(r.relpartbound, r.oid) END,
      'partitionOf', (SELECT pn.nspname || '.' || pc.relname FROM pg_catalog.pg_inherits i
          JOIN pg_catalog.pg_class pc ON pc.oid = i.inhparent JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace
          WHERE r.relispartition AND i.inhrelid = r.oid),
      'definition', CASE WHEN r.relkind IN ('v', 'm') THEN pg_catalog.pg_get_viewdef(r.oid, true) END,
      'updatableMask', CASE WHEN r.relkind = 'v' THEN pg_catalog.pg_relation_is_updatable(r.oid::regclass, false) END,
      'sequenceType', CASE WHEN r.relkind = 'S' THEN (SELECT pg_catalog.format_type(s.seqtypid, NULL) FROM pg_catalog.pg_sequence s WHERE s.seqrelid = r.oid) END,
      'ownedBy', CASE WHEN r.relkind = 'S' THEN (SELECT on_.nspname || '.' || oc.relname || '.' || oa.attname FROM pg_catalog.pg_depend d
          JOIN pg_catalog.pg_class oc ON oc.oid = d.refobjid JOIN pg_catalog.pg_namespace on_ ON on_.oid = oc.relnamespace
          JOIN pg_catalog.pg_attribute oa ON oa.attrelid = d.refobjid AND oa.attnum = d.refobjsubid
          WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = r.oid AND d.refobjsubid > 0 AND d.deptype IN ('a', 'i') LIMIT 1) END,
      'grants', g.list)), '[]')
    FROM rels r LEFT JOIN grants g ON g.oid = r.oid
    LEFT JOIN pg_catalog.pg_description ds ON ds.objoid = r.oid AND ds.classoid = 'pg_catalog.pg_class'::regclass AND ds.objsubid = 0),
  'columns', (SELECT coalesce(json_agg(json_build_object(
      'rel', a.attrelid, 'name', a.attname, 'attnum', a.attnum,
      'type', pg_catalog.format_type(a.atttypid, a.atttypmod), 'typeName', tn.nspname || '.' || t.typname,
      'elementTypeName', en.nspname || '.' || et.typname,
      'arrayDimensions', CASE WHEN t.typcategory = 'A' THEN greatest(a.attndims, 1) ELSE 0 END,
      'notNull', a.attnotnull, 'identity', a.attidentity, 'generatedKind', a.attgenerated,
      'expression', pg_catalog.pg_get_expr(ad.adbin, ad.adrelid),
      'collation', CASE WHEN a.attcollation <> t.typcollation AND a.attcollation <> 0 THEN (SELECT cn.nspname || '.' || co.collname
          FROM pg_catalog.pg_collation co JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace WHERE co.oid = a.attcollation) END,
      'comment', ds.description,
      'updatable', CASE WHEN r.relkind = 'v' THEN pg_catalog.pg_column_is_updatable(a.attrelid, a.attnum, false) END)), '[]')
    FROM pg_catalog.pg_attribute a
    JOIN rels r ON r.oid = a.attrelid AND r.relkind <> 'S'
    JOIN pg_catalog.pg_type t ON t.oid = a.atttypid JOIN pg_catalog.pg_namespace tn ON tn.oid = t.typnamespace
    LEFT JOIN pg_catalog.pg_type et ON t.typcategory = 'A' AND t.typelem <> 0 AND et.oid = t.typelem
    LEFT JOIN pg_catalog.pg_namespace en ON en.oid = et.typnamespace
    LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
    LEFT JOIN pg_catalog.pg_description ds ON ds.objoid = a.attrelid AND ds.classoid = 'pg_catalog.pg_class'::regclass AND ds.objsubid = a.attnum
    WHERE a.attnum > 0 AND NOT a.attisdropped),
  'constraints', (SELECT coalesce(json_agg(json_build_object(
      'rel', c.conrelid, 'typ', c.contypid, 'name', c.conname, 'contype', c.contype,
      'definition', pg_catalog.pg_get_constraintdef(c.oid),
      'columns', kc.names,
      'referencedTable', CASE WHEN c.contype = 'f' THEN (SELECT fn.nspname || '.' || fc.relname FROM pg_catalog.pg_class fc
          JOIN pg_catalog.pg_namespace fn ON fn.oid = fc.relnamespace WHERE fc.oid = c.confrelid) END,
      'referencedColumns', rc.names,
      'validated', c.convalidated, 'deferrable', c.condeferrable, 'inherited', c.conparentid <> 0)), '[]')
    FROM cons c
    LEFT JOIN constraint_columns kc ON kc.oid = c.oid AND NOT kc.referenced
    LEFT JOIN constraint_columns rc ON rc.oid = c.oid AND rc.referenced),
  'indexes', (SELECT coalesce(json_agg(json_build_object(
      'rel', i.indrelid, 'name', ic.relname, 'definition', pg_catalog.pg_get_indexdef(i.indexrelid),
      'unique', i.indisunique, 'primary', i.indisprimary, 'valid', i.indisvalid,
      'predicate', pg_catalog.pg_get_expr(i.indpred, i.indrelid),
      'columns', ik.names)), '[]')
    FROM idx i JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid LEFT JOIN index_columns ik ON ik.indexrelid = i.indexrelid),
  'triggers', (SELECT coalesce(json_agg(json_build_object(
      'rel', t.tgrelid, 'name', t.tgname, 'definition', pg_catalog.pg_get_triggerdef(t.oid, false),
      'functionSchema', fn.nspname, 'functionName', p.proname,
      'functionArguments', (SELECT coalesce(json_agg(pg_catalog.format_type(x.t, NULL) ORDER BY x.i), '[]') FROM unnest(p.proargtypes::oid[]) WITH ORDINALITY x(t, i)),
      'enabled', t.tgenabled <> 'D')), '[]')
    FROM pg_catalog.pg_trigger t JOIN rels r ON r.oid = t.tgrelid
    JOIN pg_catalog.pg_proc p ON p.oid = t.tgfoid JOIN pg_catalog.pg_namespace fn ON fn.oid = p.pronamespace
    WHERE NOT t.tgisinternal AND t.tgparentid = 0),
  'policies', (SELECT coalesce(json_agg(json_build_object(
      'rel', p.polrelid, 'name', p.polname, 'command', p.polcmd, 'permissive', p.polpermissive,
      'roles', (SELECT json_agg(CASE WHEN x = 0 THEN 'public' ELSE pg_catalog.pg_get_userbyid(x) END) FROM unnest(p.polroles) x),
      'using', pg_catalog.pg_get_expr(p.polqual, p.polrelid), 'withCheck', pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid))), '[]')
    FROM pg_catalog.pg_policy p JOIN rels r ON r.oid = p.polrelid),
  'functions', (SELECT coalesce(json_agg(json_build_object(
      'schema', n.nspname, 'name', p.proname, 'prokind', p.prokind,
      'identityArguments', pg_catalog.pg_get_function_identity_arguments(p.oid),
      'arguments', (SELECT coalesce(json_agg(json_build_array(coalesce(p.proargnames[x.i], ''), pg_catalog.format_type(x.t, NULL), coalesce(p.proargmodes[x.i], 'i'), x.t) ORDER BY x.i), '[]')
          FROM unnest(coalesce(p.proallargtypes, p.proargtypes::oid[])) WITH ORDINALITY x(t, i)),
      'defaults', p.pronargdefaults,
      'returns', pg_catalog.pg_get_function_result(p.oid), 'returnsSet', p.proretset, 'rows', CASE WHEN p.proretset THEN p.prorows END,
      'returnTypeName', (SELECT rn.nspname || '.' || rt.typname FROM pg_catalog.pg_type rt JOIN pg_catalog.pg_namespace rn ON rn.oid = rt.typnamespace WHERE rt.oid = p.prorettype),
      'language', l.lanname, 'volatility', p.provolatile, 'securityDefiner', p.prosecdef, 'strict', p.proisstrict,
      'config', p.proconfig,
      'bodyHash', encode(sha256(convert_to(coalesce(pg_catalog.pg_get_function_sqlbody(p.oid), p.prosrc, ''), 'UTF8')), 'hex'),
      'owner', pg_catalog.pg_get_userbyid(p.proowner), 'comment', ds.description,
      'grants', g.list)), '[]')
    FROM pg_catalog.pg_proc p JOIN ns n ON n.oid = p.pronamespace JOIN pg_catalog.pg_language l ON l.oid = p.prolang
    LEFT JOIN grants g ON g.oid = p.oid
    LEFT JOIN pg_catalog.pg_description ds ON ds.objoid = p.oid AND ds.classoid = 'pg_catalog.pg_proc'::regclass AND ds.objsubid = 0
    WHERE NOT EXISTS (SELECT 1 FROM members m WHERE m.classid = 'pg_catalog.pg_proc'::regclass AND m.objid = p.oid)),
  -- Schema-qualified names of the argument types, keyed by oid: one uncorrelated pass (a join inside
  -- each function's argument sub-select rebuilt a hash of pg_type per function).
  'argumentTypes', (SELECT coalesce(json_agg(json_build_array(t.oid, tn.nspname || '.' || t.typname)), '[]')
    FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace tn ON tn.oid = t.typnamespace
    WHERE t.oid IN (SELECT unnest(coalesce(p.proallargtypes, p.proargtypes::oid[])) FROM pg_catalog.pg_proc p JOIN ns n ON n.oid = p.pronamespace)),
  'types', (SELECT coalesce(json_agg(json_build_object(
      'typ', t.oid, 'schema', n.nspname, 'name', t.typname, 'typtype', t.typtype,
      'comment', ds.description,
      'labels', (SELECT json_agg(e.enumlabel ORDER BY e.enumsortorder) FROM pg_catalog.pg_enum e WHERE e.enumtypid = t.oid),
      'baseType', CASE WHEN t.typtype = 'd' THEN pg_catalog.format_type(t.typbasetype, t.typtypmod) END,
      'baseTypeName', (SELECT bn.nspname || '.' || bt.typname FROM pg_catalog.pg_type bt JOIN pg_catalog.pg_namespace bn ON bn.oid = bt.typnamespace WHERE bt.oid = t.typbasetype),
      'notNull', t.typnotnull, 'default', pg_catalog.pg_get_expr(t.typdefaultbin, 0),
      'attributes', CASE WHEN t.typtype = 'c' THEN (SELECT json_agg(json_build_array(a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), an.nspname || '.' || at.typname) ORDER BY a.attnum)
          FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_type at ON at.oid = a.atttypid JOIN pg_catalog.pg_namespace an ON an.oid = at.typnamespace
          WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped) END)), '[]')
    FROM pg_catalog.pg_type t JOIN ns n ON n.oid = t.typnamespace
    LEFT JOIN pg_catalog.pg_description ds ON ds.objoid = t.oid AND ds.classoid = 'pg_catalog.pg_type'::regclass AND ds.objsubid = 0
    WHERE (t.typtype IN ('e', 'd') OR (t.typtype = 'c' AND (SELECT c.relkind FROM pg_catalog.pg_class c WHERE c.oid = t.typrelid) = 'c'))
      AND NOT EXISTS (SELECT 1 FROM members m WHERE m.classid = 'pg_catalog.pg_type'::regclass AND m.objid = t.oid))
)::text AS snapshot
`;
