import { relationSql } from './sql-names.js';
import { defineCatalogLint } from './types.js';

/** Roles the API serves requests as, plus PUBLIC, which every role belongs to. */
const API_ROLES = ['anon', 'authenticated', 'PUBLIC'];

/**
 * Supabase splinter's materialized_view_in_api: a materialized view has no row level security, so
 * SELECT granted to an API role hands every row of it to that role.
 */
export const lint = defineCatalogLint({
  id: 'materialized-view-in-api',
  category: 'security',
  defaultSeverity: 'warning',
  description: 'Materialized views in an exposed schema are not readable by anon or authenticated.',
  check(snapshot, { exposedSchemas }) {
    return snapshot.views
      .filter((view) => view.materialized && exposedSchemas.includes(view.schema))
      .flatMap((view) => {
        const readers = view.grants.filter((grant) => API_ROLES.includes(grant.grantee) && grant.privileges.includes('SELECT')).map((grant) => grant.grantee);
        if (readers.length === 0) return [];
        return [
          {
            object: { kind: 'materialized_view', key: view.key },
            message: `materialized view ${view.key} in exposed schema "${view.schema}" is readable by ${readers.join(', ')}: materialized views have no row level security, so every row is served through the API`,
            hint: `REVOKE SELECT ON ${relationSql(view)} FROM ${readers.join(', ')}; or move it to a schema that is not exposed and read it through a security_invoker view or a function that checks access`,
          },
        ];
      });
  },
});
