// Generated from packages/core/pgwarden.schema.json by tools/codegen/config-validator.mjs (npm run generate): do not edit.
export interface SchemaError {
  instancePath: string;
  schemaPath: string;
  keyword: string;
  params: Record<string, unknown>;
  propertyName?: string;
}
/** True when the value matches pgwarden.schema.json; otherwise `validate.errors` says where it does not. */
export declare const validate: ((data: unknown) => boolean) & { errors?: SchemaError[] | null };
/** The schema it was compiled from. */
export declare const schema: unknown;
