-- Explanations as team knowledge: full-text search over the notes of `explained` marks (FTS5, on
-- better-sqlite3 and D1 alike). Marks are append-only, so an insert trigger keeps the index; the
-- delete trigger covers a mark removed by hand. Existing explanations are indexed here.
CREATE VIRTUAL TABLE `explanations_fts` USING fts5(`note`, `file`, `name`, tokenize = 'unicode61 remove_diacritics 2');
--> statement-breakpoint
INSERT INTO `explanations_fts` (`rowid`, `note`, `file`, `name`)
  SELECT `id`, `note`, `file`, `name` FROM `marks` WHERE `level` = 'explained' AND `note` IS NOT NULL AND `note` <> '';
--> statement-breakpoint
CREATE TRIGGER `marks_explanations_ai` AFTER INSERT ON `marks`
  WHEN new.`level` = 'explained' AND new.`note` IS NOT NULL AND new.`note` <> ''
BEGIN
  INSERT INTO `explanations_fts` (`rowid`, `note`, `file`, `name`) VALUES (new.`id`, new.`note`, new.`file`, new.`name`);
END;
--> statement-breakpoint
CREATE TRIGGER `marks_explanations_ad` AFTER DELETE ON `marks`
BEGIN
  DELETE FROM `explanations_fts` WHERE `rowid` = old.`id`;
END;
