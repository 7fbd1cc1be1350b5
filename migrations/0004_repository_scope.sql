-- Every history, analysis, pull-request and mark row names its repository, so one database holds a
-- whole team's repositories. Rows written before this migration belong to repository 1 (registered by
-- 0001 from meta `repo.root`; a database with history but no such row gets a placeholder). Keys that
-- were unique per database become unique per repository. No PRAGMA: D1 applies these files as well.
INSERT INTO `repos` (`id`, `name`, `path`, `head`)
SELECT 1, 'repository', '', NULL
WHERE NOT EXISTS (SELECT 1 FROM `repos` WHERE `id` = 1)
  AND (EXISTS (SELECT 1 FROM `commits`) OR EXISTS (SELECT 1 FROM `marks`) OR EXISTS (SELECT 1 FROM `pull_requests`));
--> statement-breakpoint
CREATE TABLE `__new_commits` (
	`repo_id` integer NOT NULL,
	`sha` text NOT NULL,
	`seq` integer NOT NULL,
	`parents` text NOT NULL,
	`author_name` text NOT NULL,
	`author_email` text NOT NULL,
	`author_date` integer NOT NULL,
	`committer_name` text NOT NULL,
	`committer_email` text NOT NULL,
	`committer_date` integer NOT NULL,
	`subject` text NOT NULL,
	`message` text NOT NULL,
	`pr_number` integer,
	`branches` text DEFAULT '[]' NOT NULL,
	`kind` text NOT NULL,
	`agent` text,
	`confidence` real NOT NULL,
	`evidence` text DEFAULT '[]' NOT NULL,
	`analyzed` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`repo_id`, `sha`)
);
--> statement-breakpoint
INSERT INTO `__new_commits`("repo_id", "sha", "seq", "parents", "author_name", "author_email", "author_date", "committer_name", "committer_email", "committer_date", "subject", "message", "pr_number", "branches", "kind", "agent", "confidence", "evidence", "analyzed") SELECT 1, "sha", "seq", "parents", "author_name", "author_email", "author_date", "committer_name", "committer_email", "committer_date", "subject", "message", "pr_number", "branches", "kind", "agent", "confidence", "evidence", "analyzed" FROM `commits`;--> statement-breakpoint
DROP TABLE `commits`;--> statement-breakpoint
ALTER TABLE `__new_commits` RENAME TO `commits`;--> statement-breakpoint
CREATE UNIQUE INDEX `commits_seq` ON `commits` (`repo_id`,`seq`);--> statement-breakpoint
CREATE INDEX `commits_author_date` ON `commits` (`author_date`);--> statement-breakpoint
CREATE INDEX `commits_sha` ON `commits` (`sha`);--> statement-breakpoint
CREATE TABLE `__new_file_analyses` (
	`repo_id` integer NOT NULL,
	`sha` text NOT NULL,
	`path` text NOT NULL,
	`blob` text,
	`status` text NOT NULL,
	`reason` text,
	`agent_lines` integer DEFAULT 0 NOT NULL,
	`human_lines` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`repo_id`, `sha`, `path`)
);
--> statement-breakpoint
INSERT INTO `__new_file_analyses`("repo_id", "sha", "path", "blob", "status", "reason", "agent_lines", "human_lines") SELECT 1, "sha", "path", "blob", "status", "reason", "agent_lines", "human_lines" FROM `file_analyses`;--> statement-breakpoint
DROP TABLE `file_analyses`;--> statement-breakpoint
ALTER TABLE `__new_file_analyses` RENAME TO `file_analyses`;--> statement-breakpoint
CREATE INDEX `file_analyses_path` ON `file_analyses` (`repo_id`,`path`);--> statement-breakpoint
CREATE TABLE `__new_file_changes` (
	`repo_id` integer NOT NULL,
	`sha` text NOT NULL,
	`idx` integer NOT NULL,
	`path` text NOT NULL,
	`old_path` text,
	`status` text NOT NULL,
	`similarity` integer,
	`added` integer,
	`deleted` integer,
	`binary` integer DEFAULT false NOT NULL,
	`old_blob` text,
	`new_blob` text,
	`new_ranges` text DEFAULT '' NOT NULL,
	`old_ranges` text DEFAULT '' NOT NULL,
	`via_merge` integer DEFAULT false NOT NULL,
	PRIMARY KEY(`repo_id`, `sha`, `idx`)
);
--> statement-breakpoint
INSERT INTO `__new_file_changes`("repo_id", "sha", "idx", "path", "old_path", "status", "similarity", "added", "deleted", "binary", "old_blob", "new_blob", "new_ranges", "old_ranges", "via_merge") SELECT 1, "sha", "idx", "path", "old_path", "status", "similarity", "added", "deleted", "binary", "old_blob", "new_blob", "new_ranges", "old_ranges", "via_merge" FROM `file_changes`;--> statement-breakpoint
DROP TABLE `file_changes`;--> statement-breakpoint
ALTER TABLE `__new_file_changes` RENAME TO `file_changes`;--> statement-breakpoint
CREATE INDEX `file_changes_path` ON `file_changes` (`repo_id`,`path`);--> statement-breakpoint
DROP INDEX `marks_hash`;--> statement-breakpoint
DROP INDEX `marks_file`;--> statement-breakpoint
DROP INDEX `marks_origin`;--> statement-breakpoint
ALTER TABLE `marks` ADD `repo_id` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
CREATE INDEX `marks_hash` ON `marks` (`repo_id`,`hash`,`engineer_id`,`created_at`,`level`);--> statement-breakpoint
CREATE INDEX `marks_file` ON `marks` (`repo_id`,`file`,`name`,`engineer_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `marks_origin` ON `marks` (`engineer_id`,`repo_id`,`hash`,`origin`);--> statement-breakpoint
CREATE TABLE `__new_pr_commits` (
	`repo_id` integer NOT NULL,
	`number` integer NOT NULL,
	`sha` text NOT NULL,
	`co_authors` text DEFAULT '[]' NOT NULL,
	`pushed_at` integer,
	PRIMARY KEY(`repo_id`, `number`, `sha`)
);
--> statement-breakpoint
INSERT INTO `__new_pr_commits`("repo_id", "number", "sha", "co_authors", "pushed_at") SELECT 1, "number", "sha", "co_authors", "pushed_at" FROM `pr_commits`;--> statement-breakpoint
DROP TABLE `pr_commits`;--> statement-breakpoint
ALTER TABLE `__new_pr_commits` RENAME TO `pr_commits`;--> statement-breakpoint
CREATE INDEX `pr_commits_sha` ON `pr_commits` (`repo_id`,`sha`);--> statement-breakpoint
DROP INDEX `review_comments_number`;--> statement-breakpoint
ALTER TABLE `review_comments` ADD `repo_id` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
CREATE INDEX `review_comments_number` ON `review_comments` (`repo_id`,`number`);--> statement-breakpoint
DROP INDEX `reviews_number`;--> statement-breakpoint
ALTER TABLE `reviews` ADD `repo_id` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
CREATE INDEX `reviews_number` ON `reviews` (`repo_id`,`number`);--> statement-breakpoint
DROP INDEX `symbols_file_name`;--> statement-breakpoint
DROP INDEX `symbols_hash`;--> statement-breakpoint
ALTER TABLE `symbols` ADD `repo_id` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
CREATE INDEX `symbols_file_name` ON `symbols` (`repo_id`,`file`,`name`,`alive`);--> statement-breakpoint
CREATE INDEX `symbols_hash` ON `symbols` (`repo_id`,`hash`);--> statement-breakpoint
CREATE TABLE `__new_ai_lines` (
	`repo_id` integer NOT NULL,
	`sha` text NOT NULL,
	`path` text NOT NULL,
	`session` text NOT NULL,
	`agent` text,
	`model` text,
	`ranges` text NOT NULL,
	PRIMARY KEY(`repo_id`, `sha`, `path`, `session`)
);
--> statement-breakpoint
INSERT INTO `__new_ai_lines`("repo_id", "sha", "path", "session", "agent", "model", "ranges") SELECT 1, "sha", "path", "session", "agent", "model", "ranges" FROM `ai_lines`;--> statement-breakpoint
DROP TABLE `ai_lines`;--> statement-breakpoint
ALTER TABLE `__new_ai_lines` RENAME TO `ai_lines`;--> statement-breakpoint
CREATE TABLE `__new_pr_files` (
	`repo_id` integer NOT NULL,
	`number` integer NOT NULL,
	`path` text NOT NULL,
	`viewer_viewed_state` text,
	PRIMARY KEY(`repo_id`, `number`, `path`)
);
--> statement-breakpoint
INSERT INTO `__new_pr_files`("repo_id", "number", "path", "viewer_viewed_state") SELECT 1, "number", "path", "viewer_viewed_state" FROM `pr_files`;--> statement-breakpoint
DROP TABLE `pr_files`;--> statement-breakpoint
ALTER TABLE `__new_pr_files` RENAME TO `pr_files`;--> statement-breakpoint
CREATE TABLE `__new_pr_review_requests` (
	`repo_id` integer NOT NULL,
	`number` integer NOT NULL,
	`login` text NOT NULL,
	PRIMARY KEY(`repo_id`, `number`, `login`)
);
--> statement-breakpoint
INSERT INTO `__new_pr_review_requests`("repo_id", "number", "login") SELECT 1, "number", "login" FROM `pr_review_requests`;--> statement-breakpoint
DROP TABLE `pr_review_requests`;--> statement-breakpoint
ALTER TABLE `__new_pr_review_requests` RENAME TO `pr_review_requests`;--> statement-breakpoint
CREATE TABLE `__new_symbol_changes` (
	`repo_id` integer NOT NULL,
	`sha` text NOT NULL,
	`file` text NOT NULL,
	`name` text NOT NULL,
	`symbol_id` integer NOT NULL,
	`kind` text NOT NULL,
	`change` text NOT NULL,
	`old_file` text,
	`old_name` text,
	`hash` text,
	`old_hash` text,
	`start_line` integer NOT NULL,
	`end_line` integer NOT NULL,
	`exported` integer DEFAULT false NOT NULL,
	`complexity` integer DEFAULT 1 NOT NULL,
	`old_complexity` integer,
	`agent_lines` integer DEFAULT 0 NOT NULL,
	`human_lines` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`repo_id`, `sha`, `file`, `name`)
);
--> statement-breakpoint
INSERT INTO `__new_symbol_changes`("repo_id", "sha", "file", "name", "symbol_id", "kind", "change", "old_file", "old_name", "hash", "old_hash", "start_line", "end_line", "exported", "complexity", "old_complexity", "agent_lines", "human_lines") SELECT 1, "sha", "file", "name", "symbol_id", "kind", "change", "old_file", "old_name", "hash", "old_hash", "start_line", "end_line", "exported", "complexity", "old_complexity", "agent_lines", "human_lines" FROM `symbol_changes`;--> statement-breakpoint
DROP TABLE `symbol_changes`;--> statement-breakpoint
ALTER TABLE `__new_symbol_changes` RENAME TO `symbol_changes`;--> statement-breakpoint
CREATE INDEX `symbol_changes_symbol` ON `symbol_changes` (`symbol_id`);--> statement-breakpoint
CREATE INDEX `symbol_changes_hash` ON `symbol_changes` (`hash`);--> statement-breakpoint
CREATE TABLE `__new_warnings` (
	`repo_id` integer NOT NULL,
	`sha` text NOT NULL,
	`path` text DEFAULT '' NOT NULL,
	`code` text NOT NULL,
	`message` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch()) NOT NULL,
	PRIMARY KEY(`repo_id`, `sha`, `path`, `code`)
);
--> statement-breakpoint
INSERT INTO `__new_warnings`("repo_id", "sha", "path", "code", "message", "created_at") SELECT 1, "sha", "path", "code", "message", "created_at" FROM `warnings`;--> statement-breakpoint
DROP TABLE `warnings`;--> statement-breakpoint
ALTER TABLE `__new_warnings` RENAME TO `warnings`;--> statement-breakpoint
CREATE TABLE `__new_pull_requests` (
	`repo_id` integer NOT NULL,
	`number` integer NOT NULL,
	`title` text NOT NULL,
	`author_login` text,
	`state` text NOT NULL,
	`head_ref` text,
	`base_ref` text,
	`head_sha` text,
	`base_sha` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`merged_at` integer,
	`merge_sha` text,
	`last_push_at` integer,
	`additions` integer DEFAULT 0 NOT NULL,
	`deletions` integer DEFAULT 0 NOT NULL,
	`comment_id` text,
	`check_run_id` text,
	`check_run_head_sha` text,
	PRIMARY KEY(`repo_id`, `number`)
);
--> statement-breakpoint
INSERT INTO `__new_pull_requests`("repo_id", "number", "title", "author_login", "state", "head_ref", "base_ref", "head_sha", "base_sha", "created_at", "updated_at", "merged_at", "merge_sha", "last_push_at", "additions", "deletions", "comment_id", "check_run_id", "check_run_head_sha") SELECT 1, "number", "title", "author_login", "state", "head_ref", "base_ref", "head_sha", "base_sha", "created_at", "updated_at", "merged_at", "merge_sha", "last_push_at", "additions", "deletions", "comment_id", "check_run_id", "check_run_head_sha" FROM `pull_requests`;--> statement-breakpoint
DROP TABLE `pull_requests`;--> statement-breakpoint
ALTER TABLE `__new_pull_requests` RENAME TO `pull_requests`;
--> statement-breakpoint
-- A repository's own facts move under its id; repos.path replaces repo.root.
UPDATE `meta` SET `key` = 'repo.1.' || `key`
WHERE `key` IN ('analysis.head', 'ingest.frontier', 'ingest.shallowBoundary', 'ingest.notesTip', 'github.repo', 'github.cursor');
--> statement-breakpoint
DELETE FROM `meta` WHERE `key` = 'repo.root';
--> statement-breakpoint
-- mark_heads is derived and its keys now carry the repository: rebuilt from marks on the next read.
DELETE FROM `mark_heads`;
--> statement-breakpoint
DELETE FROM `meta` WHERE `key` = 'marks.headsUpTo';
