-- attempt_marks was a rowid table with its primary key as a second b-tree
-- and a covering index as a third: three inserts per mark, twelve marks per
-- quiz attempt. Stored WITHOUT ROWID, the primary key is the table and
-- holds the mark too, so a mark costs one insert and item analysis reads
-- the same one b-tree the covering index gave it.
CREATE TABLE attempt_marks_new (
	attempt_id  INTEGER NOT NULL REFERENCES attempts (id) ON DELETE CASCADE,
	question_id TEXT    NOT NULL,
	mark        INTEGER NOT NULL CHECK (mark IN (0, 1)),
	PRIMARY KEY (attempt_id, question_id)
) WITHOUT ROWID;
INSERT INTO attempt_marks_new (attempt_id, question_id, mark) SELECT attempt_id, question_id, mark FROM attempt_marks;
DROP TABLE attempt_marks;
ALTER TABLE attempt_marks_new RENAME TO attempt_marks;
