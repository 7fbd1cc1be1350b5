CREATE TABLE `ai_lines` (
	`sha` text NOT NULL,
	`path` text NOT NULL,
	`session` text NOT NULL,
	`agent` text,
	`model` text,
	`ranges` text NOT NULL,
	PRIMARY KEY(`sha`, `path`, `session`)
);
--> statement-breakpoint
CREATE TABLE `blob_analyses` (
	`blob` text PRIMARY KEY NOT NULL,
	`status` text NOT NULL,
	`reason` text,
	`line_count` integer DEFAULT 0 NOT NULL,
	`symbols` text DEFAULT '[]' NOT NULL
);
--> statement-breakpoint
CREATE TABLE `blob_lines` (
	`blob` text PRIMARY KEY NOT NULL,
	`runs` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `blob_texts` (
	`blob` text PRIMARY KEY NOT NULL,
	`text` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `commits` (
	`sha` text PRIMARY KEY NOT NULL,
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
	`analyzed` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `commits_seq` ON `commits` (`seq`);--> statement-breakpoint
CREATE INDEX `commits_author_date` ON `commits` (`author_date`);--> statement-breakpoint
CREATE TABLE `engineer_aliases` (
	`kind` text NOT NULL,
	`value` text NOT NULL,
	`engineer_id` integer NOT NULL,
	PRIMARY KEY(`kind`, `value`)
);
--> statement-breakpoint
CREATE INDEX `engineer_aliases_engineer` ON `engineer_aliases` (`engineer_id`);--> statement-breakpoint
CREATE TABLE `engineers` (
	`id` integer PRIMARY KEY NOT NULL,
	`handle` text NOT NULL,
	`name` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch()) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `engineers_handle_unique` ON `engineers` (`handle`);--> statement-breakpoint
CREATE TABLE `file_analyses` (
	`sha` text NOT NULL,
	`path` text NOT NULL,
	`blob` text,
	`status` text NOT NULL,
	`reason` text,
	`agent_lines` integer DEFAULT 0 NOT NULL,
	`human_lines` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`sha`, `path`)
);
--> statement-breakpoint
CREATE INDEX `file_analyses_path` ON `file_analyses` (`path`);--> statement-breakpoint
CREATE TABLE `file_changes` (
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
	PRIMARY KEY(`sha`, `idx`)
);
--> statement-breakpoint
CREATE INDEX `file_changes_path` ON `file_changes` (`path`);--> statement-breakpoint
CREATE TABLE `mark_heads` (
	`key` text NOT NULL,
	`engineer_id` integer NOT NULL,
	`mark_id` integer NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`key`, `engineer_id`)
);
--> statement-breakpoint
CREATE INDEX `mark_heads_engineer` ON `mark_heads` (`engineer_id`);--> statement-breakpoint
CREATE TABLE `marks` (
	`id` integer PRIMARY KEY NOT NULL,
	`engineer_id` integer NOT NULL,
	`symbol_id` integer,
	`file` text NOT NULL,
	`name` text NOT NULL,
	`hash` text NOT NULL,
	`level` text NOT NULL,
	`note` text,
	`source` text NOT NULL,
	`target` text NOT NULL,
	`origin` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `marks_hash` ON `marks` (`hash`,`engineer_id`,`created_at`,`level`);--> statement-breakpoint
CREATE INDEX `marks_symbol` ON `marks` (`symbol_id`,`engineer_id`);--> statement-breakpoint
CREATE INDEX `marks_file` ON `marks` (`file`,`name`,`engineer_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `marks_origin` ON `marks` (`engineer_id`,`hash`,`origin`);--> statement-breakpoint
CREATE TABLE `meta` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `pr_commits` (
	`number` integer NOT NULL,
	`sha` text NOT NULL,
	`co_authors` text DEFAULT '[]' NOT NULL,
	`pushed_at` integer,
	PRIMARY KEY(`number`, `sha`)
);
--> statement-breakpoint
CREATE INDEX `pr_commits_sha` ON `pr_commits` (`sha`);--> statement-breakpoint
CREATE TABLE `pr_files` (
	`number` integer NOT NULL,
	`path` text NOT NULL,
	`viewer_viewed_state` text,
	PRIMARY KEY(`number`, `path`)
);
--> statement-breakpoint
CREATE TABLE `pr_review_requests` (
	`number` integer NOT NULL,
	`login` text NOT NULL,
	PRIMARY KEY(`number`, `login`)
);
--> statement-breakpoint
CREATE TABLE `pull_requests` (
	`number` integer PRIMARY KEY NOT NULL,
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
	`comment_id` text
);
--> statement-breakpoint
CREATE TABLE `review_comments` (
	`id` text PRIMARY KEY NOT NULL,
	`review_id` text NOT NULL,
	`number` integer NOT NULL,
	`author_login` text,
	`path` text NOT NULL,
	`start_line` integer,
	`line` integer,
	`commit_sha` text,
	`original_start_line` integer,
	`original_line` integer,
	`original_commit_sha` text,
	`body` text DEFAULT '' NOT NULL,
	`created_at` integer
);
--> statement-breakpoint
CREATE INDEX `review_comments_review` ON `review_comments` (`review_id`);--> statement-breakpoint
CREATE INDEX `review_comments_number` ON `review_comments` (`number`);--> statement-breakpoint
CREATE TABLE `reviews` (
	`id` text PRIMARY KEY NOT NULL,
	`number` integer NOT NULL,
	`author_login` text,
	`state` text NOT NULL,
	`submitted_at` integer,
	`body` text DEFAULT '' NOT NULL,
	`commit_sha` text,
	`rubber_stamp` integer DEFAULT false NOT NULL,
	`rubber_stamp_reason` text
);
--> statement-breakpoint
CREATE INDEX `reviews_number` ON `reviews` (`number`);--> statement-breakpoint
CREATE TABLE `symbol_changes` (
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
	PRIMARY KEY(`sha`, `file`, `name`)
);
--> statement-breakpoint
CREATE INDEX `symbol_changes_symbol` ON `symbol_changes` (`symbol_id`);--> statement-breakpoint
CREATE INDEX `symbol_changes_hash` ON `symbol_changes` (`hash`);--> statement-breakpoint
CREATE TABLE `symbol_texts` (
	`hash` text PRIMARY KEY NOT NULL,
	`text` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `symbols` (
	`id` integer PRIMARY KEY NOT NULL,
	`file` text NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`alive` integer DEFAULT true NOT NULL,
	`hash` text NOT NULL,
	`start_line` integer NOT NULL,
	`end_line` integer NOT NULL,
	`exported` integer DEFAULT false NOT NULL,
	`complexity` integer DEFAULT 1 NOT NULL,
	`agent_lines` integer DEFAULT 0 NOT NULL,
	`human_lines` integer DEFAULT 0 NOT NULL,
	`authors` text DEFAULT '[]' NOT NULL,
	`last_sha` text,
	`change_count` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE INDEX `symbols_file_name` ON `symbols` (`file`,`name`,`alive`);--> statement-breakpoint
CREATE INDEX `symbols_hash` ON `symbols` (`hash`);--> statement-breakpoint
CREATE TABLE `tokens` (
	`id` integer PRIMARY KEY NOT NULL,
	`hash` text NOT NULL,
	`engineer_id` integer,
	`admin` integer DEFAULT false NOT NULL,
	`created_at` integer DEFAULT (unixepoch()) NOT NULL,
	`expires_at` integer,
	`revoked_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tokens_hash_unique` ON `tokens` (`hash`);--> statement-breakpoint
CREATE TABLE `warnings` (
	`sha` text NOT NULL,
	`path` text DEFAULT '' NOT NULL,
	`code` text NOT NULL,
	`message` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch()) NOT NULL,
	PRIMARY KEY(`sha`, `path`, `code`)
);
--> statement-breakpoint
CREATE TABLE `webhook_deliveries` (
	`id` text PRIMARY KEY NOT NULL,
	`event` text NOT NULL,
	`received_at` integer NOT NULL
);
