/**
 * A consumer of the generated types: supabase-js calls typed by `Database` from
 * @pgwarden/db-types. This file is built with the workspace, so a schema change that breaks a
 * call here fails the build; the `@ts-expect-error` lines prove the types are not `any`.
 */
import { createClient } from '@supabase/supabase-js';
import type { Database, Enums, Tables, TablesInsert } from '@pgwarden/db-types';
import { Constants } from '@pgwarden/db-types';
import { Tables as Validators } from '@pgwarden/db-types/zod';

export const supabase = createClient<Database>('http://127.0.0.1:54321', 'anon-key');

export async function activePatients(organizationId: string): Promise<Pick<Tables<'patients'>, 'id' | 'first_name' | 'sex_at_birth'>[]> {
  const { data, error } = await supabase.from('patients').select('id, first_name, sex_at_birth').eq('organization_id', organizationId).eq('is_active', true);
  if (error) throw error;
  const first: string | undefined = data[0]?.first_name;
  void first;
  // @ts-expect-error the column does not exist
  await supabase.from('patients').select('id').eq('no_such_column', 1);
  return data;
}

export async function admitPatient(organizationId: string): Promise<string> {
  const patient: TablesInsert<'patients'> = {
    organization_id: organizationId,
    first_name: 'Ada',
    last_name: 'Lovelace',
    date_of_birth: '1815-12-10',
    medical_record_number: 'MRN-1',
    sex_at_birth: 'female',
  };
  const { data, error } = await supabase.from('patients').insert(patient).select('id').single();
  if (error) throw error;
  // @ts-expect-error last_name is NOT NULL without a default: an insert must set it
  const missing: TablesInsert<'patients'> = { organization_id: organizationId, first_name: 'A', date_of_birth: '2000-01-01', medical_record_number: 'M' };
  // @ts-expect-error not a value of the sex_at_birth enum
  const wrongEnum: TablesInsert<'patients'> = { ...patient, sex_at_birth: 'other' };
  // @ts-expect-error audit_log.id is GENERATED ALWAYS AS IDENTITY: never written
  const identity: TablesInsert<'audit_log'> = { action: 'x', table_name: 't', id: 1 };
  void [missing, wrongEnum, identity];
  return data.id;
}

export async function claimJob(workerId: string) {
  const { data, error } = await supabase.rpc('claim_next_job', { p_worker_id: workerId, p_job_types: ['ocr'] });
  if (error) throw error;
  // @ts-expect-error p_worker_id is text
  await supabase.rpc('claim_next_job', { p_worker_id: 42 });
  const allowed: boolean = (await supabase.rpc('can_access_patient', { p_patient_id: 'x' })).data ?? false;
  void allowed;
  return data;
}

export const sexes: readonly Enums<'sex_at_birth'>[] = Constants.public.Enums.sex_at_birth;

/** The zod validators from the same schema parse a row the API returned. */
export function parsePatient(row: unknown) {
  return Validators.public.patients.Row.parse(row);
}
