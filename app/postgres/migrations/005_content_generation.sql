-- Every change to what is live (an import, a retirement or its undoing)
-- takes the next number of this sequence, in the same transaction as the
-- change and its NOTIFY: a process that finds a number it has not seen
-- knows it missed a notification and reloads (see watch.go).
CREATE SEQUENCE content_generation;
