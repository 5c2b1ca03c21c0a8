-- Runs once when the regress database is created. Each suite creates and drops the extension
-- itself, so suites are independent of each other and of their order.
SELECT 1 AS ready;
