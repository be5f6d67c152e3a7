import type { Node } from 'libpg-query';

/** Positions are 1-based line/column in JavaScript string units (UTF-16), never UTF-8 bytes. */
export interface SourcePosition {
  /** 1-based line. */
  line: number;
  /** 1-based column, counted in JavaScript string characters. */
  column: number;
  /** 0-based index into the file's JavaScript string. */
  offset: number;
}

export interface SourceRange {
  start: SourcePosition;
  /** Exclusive end. */
  end: SourcePosition;
}

/**
 * A libpg-query node wrapper such as `{ CreateStmt: {...} }`: the `Node` union of @pgsql/types,
 * which libpg-query re-exports for the PostgreSQL version its parser is built from (so the two cannot
 * drift apart). Read one with isNode()/nodeOf() of sql/nodes.ts.
 */
export type PgNode = Node;

/**
 * A node of libpg-query's PL/pgSQL JSON (`{ PLpgSQL_stmt_if: {...} }`). @pgsql/types describes the
 * SQL AST only, so the PL/pgSQL tree (read by sql/plpgsql.ts and verify/body.ts) stays untyped JSON.
 */
export type PlpgsqlNode = Record<string, any>;

/** Every node type name → its inner object, e.g. `NodeMap['CreateStmt']` is `CreateStmt`. */
type NodeMap = { [Wrapper in Node as keyof Wrapper & string]: Wrapper[keyof Wrapper] };

/** A node type name such as `CreateStmt` or `RangeVar`. */
export type NodeType = keyof NodeMap;

/** The inner object of a node type: `NodeOf<'CreateStmt'>` is the CreateStmt interface. */
export type NodeOf<Type extends NodeType> = NodeMap[Type];

/** The wrapper of one node type: `{ CreateStmt: CreateStmt }`. */
export type WrapperOf<Type extends NodeType> = { [Key in Type]: NodeOf<Key> };

/** How a nested statement is protected against running twice. */
export type GuardKind = 'if-not-exists' | 'if-exists' | 'exception-handler';

/** The fields every statement has, whatever its kind. */
export interface StatementFields {
  /** Exact source text, without the trailing semicolon. */
  text: string;
  range: SourceRange;
  /** For statements found inside a DO block or a PL/pgSQL function body: the enclosing top-level statement. */
  parent?: SqlStatement;
  /** Set for nested statements executed under an IF (NOT) EXISTS condition or inside a block with an EXCEPTION handler. */
  guard?: { kind: GuardKind; condition: string };
  /** `--` comment lines directly above the statement (no blank line between), trimmed, without `--`. */
  leadingComments: { text: string; line: number }[];
  /**
   * Maps a node's `location` (a UTF-8 byte offset into the text the parser saw) to its position
   * in the file. Set by parseSql; absent on statements built by hand.
   */
  locate?: (location: number) => SourcePosition;
}

/** A statement's node type name with its inner node: the discriminated part of a statement. */
export type KindAndNode = { [Type in StatementKind]: { kind: Type; node: NodeOf<Type> } }[StatementKind];

/** Node types of statements: every statement node's name ends in `Stmt` (CreateStmt, DoStmt, SelectStmt...). */
export type StatementKind = Extract<NodeType, `${string}Stmt`>;

type StatementMap = {
  [Type in StatementKind]: StatementFields & {
    /** Node type name, e.g. `CreateStmt`, `AlterTableStmt`, `DoStmt`. */
    kind: Type;
    /** The inner node (the value under `kind`). */
    node: NodeOf<Type>;
  };
};

/**
 * A parsed statement: a union discriminated by `kind`, so `statement.kind === 'IndexStmt'` types
 * `statement.node` as an IndexStmt. `SqlStatement<'IndexStmt'>` is a statement of that kind only.
 */
export type SqlStatement<Type extends StatementKind = StatementKind> = StatementMap[Type];

/**
 * A PL/pgSQL expression or query of a DO block or function body that is not one of the nested
 * statements: what reads (SELECT, PERFORM), computes (assignments, conditions, defaults, RETURN and
 * RAISE arguments) or builds SQL at run time (EXECUTE of anything but a constant string).
 */
export interface PlpgsqlExpression {
  /**
   * `query`: a SELECT or PERFORM. `expression`: any other expression. `dynamic-execute`: the string
   * expression of EXECUTE, FOR ... IN EXECUTE, RETURN QUERY EXECUTE or OPEN ... FOR EXECUTE.
   */
  kind: 'query' | 'expression' | 'dynamic-execute';
  /** As PL/pgSQL holds it: `SELECT ...` for PERFORM, `v := ...` for an assignment. */
  text: string;
  /** The parsed query, or `SELECT <expression>`: the inner SelectStmt; undefined when it does not parse alone. */
  node?: NodeOf<'SelectStmt'>;
  /** For an assignment: the variable assigned (lower case, as written). */
  target?: string;
  range: SourceRange;
  /** The DO block or CREATE FUNCTION/PROCEDURE statement. */
  parent: SqlStatement;
}

export interface SqlSyntaxError {
  message: string;
  range: SourceRange;
  /** A fix for a known trap, e.g. ADD CONSTRAINT IF NOT EXISTS. */
  hint?: string;
}

export interface PsqlMetaCommand {
  command: string;
  range: SourceRange;
}

export interface ParsedSql {
  /** Top-level statements in file order. */
  statements: SqlStatement[];
  /** Statements parsed from DO blocks and PL/pgSQL function bodies, each with `parent` set. */
  nested: SqlStatement[];
  /** The other expressions and queries of those bodies, in body order. */
  expressions: PlpgsqlExpression[];
  /** At most one error per failing statement: never a cascade. */
  errors: SqlSyntaxError[];
  /** psql backslash commands (`\echo`, `\i`), blanked out before parsing. */
  metaCommands: PsqlMetaCommand[];
}

/** What a statement does to a table or view. */
export type RelationAction =
  | 'create'
  | 'alter'
  | 'drop'
  | 'truncate'
  | 'insert'
  | 'update'
  | 'delete'
  | 'select'
  | 'index'
  | 'policy'
  | 'trigger'
  | 'rls'
  | 'comment'
  | 'grant'
  | 'rename'
  | 'lock';

/** A table or view a statement touches. */
export interface RelationRef {
  /** As written; absent when the name is unqualified. */
  schema?: string;
  name: string;
  action: RelationAction;
  /** Where the name is written, when the parser reports it. */
  location?: SourceRange;
}
