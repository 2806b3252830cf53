-- attempts_user_item (user_id, kind, uid, score) is a prefix of what
-- attempts_user_item_at (003) covers: every query that could use it uses the
-- wider index, so it only cost a write per attempt.
DROP INDEX IF EXISTS attempts_user_item;
