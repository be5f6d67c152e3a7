// The sync generator takes no options: it serves every pgwarden project of the workspace.
export type TypesSyncGeneratorSchema = Record<string, never>;
