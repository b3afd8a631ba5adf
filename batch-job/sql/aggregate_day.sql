-- Recomputes daily_category_summary for one calendar day of one time zone, in one statement.
--   $1 day (date), $2 IANA time zone name (text), $3 run id (uuid)
-- Returns one row: rows_read (source events in the day), rows_written (summary rows inserted or
-- changed), rows_deleted (summary rows of categories that no longer have events that day).
-- The day is the half-open range [day 00:00, day+1 00:00) in $2, computed by the server, so it
-- follows daylight-saving changes and uses events_occurred_at_idx.
WITH bounds AS (
  SELECT ($1::date)::timestamp AT TIME ZONE $2::text AS lo,
         ($1::date + 1)::timestamp AT TIME ZONE $2::text AS hi
), fresh AS (
  SELECT e.category,
         count(*)        AS event_count,
         count(e.amount) AS amount_count,
         sum(e.amount)   AS amount_sum,
         min(e.amount)   AS amount_min,
         max(e.amount)   AS amount_max
    FROM events e, bounds b
   WHERE e.occurred_at >= b.lo AND e.occurred_at < b.hi
   GROUP BY e.category
), upserted AS (
  INSERT INTO daily_category_summary AS s
         (time_zone, day, category, event_count, amount_count, amount_sum, amount_min, amount_max,
          run_id, updated_at)
  SELECT $2::text, $1::date, f.category, f.event_count, f.amount_count, f.amount_sum,
         f.amount_min, f.amount_max, $3::uuid, now()
    FROM fresh f
  ON CONFLICT (time_zone, day, category) DO UPDATE
     SET event_count = EXCLUDED.event_count, amount_count = EXCLUDED.amount_count,
         amount_sum = EXCLUDED.amount_sum, amount_min = EXCLUDED.amount_min,
         amount_max = EXCLUDED.amount_max, run_id = EXCLUDED.run_id,
         updated_at = EXCLUDED.updated_at
   WHERE (s.event_count, s.amount_count, s.amount_sum, s.amount_min, s.amount_max)
         IS DISTINCT FROM
         (EXCLUDED.event_count, EXCLUDED.amount_count, EXCLUDED.amount_sum, EXCLUDED.amount_min,
          EXCLUDED.amount_max)
  RETURNING 1
), deleted AS (
  DELETE FROM daily_category_summary s
   WHERE s.time_zone = $2::text AND s.day = $1::date
     AND NOT EXISTS (SELECT 1 FROM fresh f WHERE f.category = s.category)
  RETURNING 1
)
SELECT (SELECT coalesce(sum(event_count), 0) FROM fresh)::bigint AS rows_read,
       (SELECT count(*) FROM upserted) AS rows_written,
       (SELECT count(*) FROM deleted) AS rows_deleted;
