-- Recomputes daily_category_summary for one calendar day of one time zone, in one statement.
--   $1 day (date), $2 IANA time zone name (text), $3 run id (uuid)
-- Returns one row: rows_read (source events in the day), rows_written (summary rows inserted or
-- changed), rows_deleted (summary rows of categories that no longer have events that day),
-- rows_shortened (events of the day whose category was too long and was keyed as described at
-- "fresh" below).
-- The day is the half-open range [lo, hi) where lo is the first instant whose local date in $2 is
-- the day or later, and hi the same for the next day, so that it follows daylight-saving changes
-- (23- and 25-hour days), clocks that fall back across midnight (America/Havana 2024-11-03: the
-- day starts at the first of its two midnights, where `day::timestamp AT TIME ZONE` would pick
-- the second), midnights that do not exist (the day starts at the jump), 30-minute shifts and
-- offsets such as +05:45; a day a zone skipped is empty. The first such instant is one of
-- "local midnight at an offset the zone uses within a day of it": those offsets are sampled every
-- 15 minutes over [day - 1, day + 3) UTC. The range keeps events_occurred_at_idx usable.
WITH offsets AS (
  SELECT DISTINCT (s AT TIME ZONE $2::text) - (s AT TIME ZONE 'UTC') AS utc_offset
    FROM generate_series(($1::date - 1)::timestamp AT TIME ZONE 'UTC',
                         ($1::date + 3)::timestamp AT TIME ZONE 'UTC',
                         interval '15 minutes') AS s
), starts AS (
  SELECT d.day, min(c.instant) AS first_instant
    FROM (VALUES ($1::date), ($1::date + 1)) AS d(day)
    CROSS JOIN offsets o
    CROSS JOIN LATERAL (SELECT (d.day::timestamp - o.utc_offset) AT TIME ZONE 'UTC' AS instant) c
   WHERE (c.instant AT TIME ZONE $2::text)::date >= d.day
   GROUP BY d.day
), bounds AS (
  SELECT (SELECT first_instant FROM starts WHERE day = $1::date) AS lo,
         (SELECT first_instant FROM starts WHERE day = $1::date + 1) AS hi
), fresh AS (
  -- A category longer than 256 bytes would not fit the summary's primary key index (SQLSTATE
  -- 54000 fails the whole day), so it is summarised under a bounded key: its first 64 characters
  -- and the md5 of the whole text, "<prefix>… [md5:<32 hex>]" (at most 300 bytes; distinct long
  -- categories stay distinct). Such events are counted in rows_shortened.
  SELECT k.category,
         bool_or(k.shortened) AS shortened,
         count(*)        AS event_count,
         count(e.amount) AS amount_count,
         sum(e.amount)   AS amount_sum,
         min(e.amount)   AS amount_min,
         max(e.amount)   AS amount_max
    FROM events e
    CROSS JOIN bounds b
    CROSS JOIN LATERAL (
      SELECT octet_length(e.category) > 256 AS shortened,
             CASE WHEN octet_length(e.category) > 256
                  THEN left(e.category, 64) || '… [md5:' || md5(e.category) || ']'
                  ELSE e.category END AS category) k
   WHERE e.occurred_at >= b.lo AND e.occurred_at < b.hi
   GROUP BY k.category
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
       (SELECT count(*) FROM deleted) AS rows_deleted,
       (SELECT coalesce(sum(event_count) FILTER (WHERE shortened), 0) FROM fresh)::bigint
         AS rows_shortened;
