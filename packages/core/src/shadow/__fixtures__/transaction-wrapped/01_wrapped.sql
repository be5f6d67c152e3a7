BEGIN;

CREATE TABLE public.devices (
  id uuid PRIMARY KEY,
  serial text NOT NULL
);

-- The one mistake: the column is called serial, not serial_number.
CREATE UNIQUE INDEX devices_serial_idx ON public.devices (serial_number);

CREATE TABLE public.device_readings (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  device_id uuid NOT NULL REFERENCES public.devices (id),
  value numeric NOT NULL
);

COMMIT;
