import { describe, expect, it } from 'vitest';
import { lintDatabase } from './__fixtures__/lint-database.js';

const ID = 'unindexed-foreign-key';
const { lint } = lintDatabase(ID);

const PARENTS = `
  CREATE TABLE public.patients (id int PRIMARY KEY, org int NOT NULL, UNIQUE (org, id));
  CREATE TABLE public.practitioners (id int PRIMARY KEY);`;

describe(ID, () => {
  it('reports a foreign key without an index, naming the constraint and the index to create', async () => {
    const findings = await lint(`${PARENTS}
      CREATE TABLE public.visits (id int PRIMARY KEY, patient_id int REFERENCES public.patients (id));`);
    expect(findings).toEqual([
      {
        rule: ID,
        severity: 'info',
        object: { kind: 'constraint', key: 'public.visits.visits_patient_id_fkey' },
        message:
          'foreign key public.visits.visits_patient_id_fkey (patient_id) has no index on public.visits starting with its columns: every delete or key update on public.patients scans public.visits',
        hint: 'CREATE INDEX CONCURRENTLY visits_patient_id_idx ON public.visits (patient_id);',
      },
    ]);
  });

  it('reports an index that only has the key columns after others, a partial index and an invalid-for-the-purpose expression index', async () => {
    const findings = await lint(`${PARENTS}
      CREATE TABLE public.a (id int PRIMARY KEY, at date, patient_id int REFERENCES public.patients (id));
      CREATE INDEX ON public.a (at, patient_id);
      CREATE TABLE public.b (id int PRIMARY KEY, patient_id int REFERENCES public.patients (id));
      CREATE INDEX ON public.b (patient_id) WHERE patient_id > 0;
      CREATE TABLE public.c (id int PRIMARY KEY, patient_id int REFERENCES public.patients (id));
      CREATE INDEX ON public.c ((patient_id + 0));`);
    expect(findings.map((finding) => finding.object.key)).toEqual(['public.a.a_patient_id_fkey', 'public.b.b_patient_id_fkey', 'public.c.c_patient_id_fkey']);
  });

  it('reports only the first of two foreign keys when one index covers the second', async () => {
    const findings = await lint(`${PARENTS}
      CREATE TABLE public.visits (id int PRIMARY KEY, patient_id int REFERENCES public.patients (id), practitioner_id int REFERENCES public.practitioners (id));
      CREATE INDEX ON public.visits (practitioner_id, patient_id);`);
    expect(findings.map((finding) => finding.object.key)).toEqual(['public.visits.visits_patient_id_fkey']);
  });

  it('stays clean: an index on the key, a multi-column index whose leading columns match (in either order), the primary key, a partitioned parent with its index', async () => {
    expect(
      await lint(`${PARENTS}
        CREATE TABLE public.a (id int PRIMARY KEY, patient_id int REFERENCES public.patients (id));
        CREATE INDEX ON public.a (patient_id);
        CREATE TABLE public.b (id int PRIMARY KEY, patient_id int REFERENCES public.patients (id), at date);
        CREATE INDEX ON public.b (patient_id, at);
        CREATE TABLE public.c (id int PRIMARY KEY, org int, patient_id int, FOREIGN KEY (org, patient_id) REFERENCES public.patients (org, id));
        CREATE INDEX ON public.c (patient_id, org, id);
        CREATE TABLE public.d (patient_id int PRIMARY KEY REFERENCES public.patients (id));
        CREATE TABLE public.e (id int, at date NOT NULL, patient_id int REFERENCES public.patients (id)) PARTITION BY RANGE (at);
        CREATE INDEX ON public.e (patient_id);
        CREATE TABLE public.e_2025 PARTITION OF public.e FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');`),
    ).toEqual([]);
  });

  it('reports a partitioned table once, with a hint without CONCURRENTLY', async () => {
    const findings = await lint(`${PARENTS}
      CREATE TABLE public.e (id int, at date NOT NULL, patient_id int REFERENCES public.patients (id)) PARTITION BY RANGE (at);
      CREATE TABLE public.e_2025 PARTITION OF public.e FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');`);
    expect(findings.map((finding) => [finding.object.key, finding.hint])).toEqual([
      ['public.e.e_patient_id_fkey', 'CREATE INDEX e_patient_id_idx ON public.e (patient_id);'],
    ]);
  });
});
