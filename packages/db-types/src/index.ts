// The generated Database type (supabase format) and its helpers; zod validators live in ./zod.
export * from './database.js';
