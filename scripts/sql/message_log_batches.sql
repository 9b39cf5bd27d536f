-- N message-log batches (报送日志) straight into message_log, N = @BATCHES@ (replaced by the caller): ~50
-- departments, the last 365 days, ~1 % with a rejected record, ~1 % refused as a whole, ~5 % held, 10 % pulled; each
-- row with a 5-record answer array as the hub writes it. Used by scripts/console_bench.py --batches and by
-- `IngestBenchmark scale` (the message log beside a grown ledger).
INSERT INTO message_log (received_at, direction, kind, department, system, format, body_bytes, batch_id, status,
    record_count, accepted, held, rejected, error_code, error_codes, item_codes, answers)
SELECT now() - (random() * 365) * interval '1 day', CASE WHEN g % 10 = 0 THEN 'pull' ELSE 'push' END, 'records',
       'BENCH-' || lpad((g % 50)::text, 2, '0'), 'key-' || (g % 50), CASE WHEN g % 4 = 0 THEN 'xml' ELSE 'json' END,
       2000 + g % 50000, 'B' || lpad(g::text, 10, '0'),
       CASE WHEN g % 100 = 7 THEN 'refused' WHEN g % 100 = 3 THEN 'rejected' WHEN g % 20 = 1 THEN 'held' ELSE 'accepted' END,
       CASE WHEN g % 100 = 7 THEN 0 ELSE 5 END,
       CASE WHEN g % 100 = 7 THEN 0 WHEN g % 100 = 3 OR g % 20 = 1 THEN 4 ELSE 5 END,
       CASE WHEN g % 20 = 1 AND g % 100 NOT IN (3, 7) THEN 1 ELSE 0 END,
       CASE WHEN g % 100 = 3 THEN 1 ELSE 0 END,
       CASE WHEN g % 100 = 3 THEN 'invalid_check_digit' WHEN g % 100 = 7 THEN 'malformed_json' END,
       CASE WHEN g % 100 = 3 THEN ARRAY['invalid_check_digit'] WHEN g % 100 = 7 THEN ARRAY['malformed_json'] ELSE '{}' END,
       ARRAY['4301210001' || lpad((g % 300)::text, 4, '0'), '4301210001' || lpad((g % 300)::text, 4, '0') || '0'],
       CASE WHEN g % 100 = 7 THEN '[]'::jsonb WHEN g % 100 = 3 THEN '[{"index": 0, "localId": "R-0", "status": "rejected", "itemCode": "430121000100010", "errors": [{"path": "records[0].party.idNumber", "code": "invalid_check_digit", "messageZh": "统一社会信用代码校验位错误", "messageEn": "the check digit is wrong"}]}, {"index": 1, "localId": "R-1", "status": "accepted", "version": 1, "itemCode": "430121000100010", "catalogCode": "43012100010001", "errors": []}, {"index": 2, "localId": "R-2", "status": "accepted", "version": 1, "itemCode": "430121000100010", "catalogCode": "43012100010001", "errors": []}, {"index": 3, "localId": "R-3", "status": "accepted", "version": 1, "itemCode": "430121000100010", "catalogCode": "43012100010001", "errors": []}, {"index": 4, "localId": "R-4", "status": "accepted", "version": 1, "itemCode": "430121000100010", "catalogCode": "43012100010001", "errors": []}]'::jsonb ELSE '[{"index": 0, "localId": "R-0", "status": "accepted", "version": 1, "itemCode": "430121000100010", "catalogCode": "43012100010001", "errors": []}, {"index": 1, "localId": "R-1", "status": "accepted", "version": 1, "itemCode": "430121000100010", "catalogCode": "43012100010001", "errors": []}, {"index": 2, "localId": "R-2", "status": "accepted", "version": 1, "itemCode": "430121000100010", "catalogCode": "43012100010001", "errors": []}, {"index": 3, "localId": "R-3", "status": "accepted", "version": 1, "itemCode": "430121000100010", "catalogCode": "43012100010001", "errors": []}, {"index": 4, "localId": "R-4", "status": "accepted", "version": 1, "itemCode": "430121000100010", "catalogCode": "43012100010001", "errors": []}]'::jsonb END
FROM generate_series(1, @BATCHES@) AS g;
