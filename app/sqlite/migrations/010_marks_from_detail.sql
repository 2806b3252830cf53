-- Every quiz attempt stored its marks twice: in its detail (the questions
-- asked and which were right) and as one attempt_marks row per question,
-- twelve more inserts per submission, each firing a trigger. Item analysis
-- reads them only for first attempts (008's stats_* tables), so the rows
-- give way to a view that reads the same marks out of the detail, under
-- the same name and columns: the statistics' triggers, the conformance
-- suite and the copy to PostgreSQL (which keeps a table) read it as before.
DROP INDEX stats_member_items_first;
DROP TABLE attempt_marks;
CREATE VIEW attempt_marks (attempt_id, question_id, mark) AS
	SELECT a.id, q.value, COALESCE(r.value, 0)
	FROM attempts a
	JOIN json_each(a.detail, '$.asked') q
	LEFT JOIN json_each(a.detail, '$.right') r ON r.key = q.value
	WHERE a.kind = 'quiz';
