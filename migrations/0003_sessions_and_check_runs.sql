CREATE TABLE `web_sessions` (
	`id` integer PRIMARY KEY NOT NULL,
	`hash` text NOT NULL,
	`engineer_id` integer NOT NULL,
	`created_at` integer NOT NULL,
	`last_seen_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`revoked_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `web_sessions_hash_unique` ON `web_sessions` (`hash`);--> statement-breakpoint
CREATE INDEX `web_sessions_engineer` ON `web_sessions` (`engineer_id`);--> statement-breakpoint
ALTER TABLE `pull_requests` ADD `check_run_id` text;--> statement-breakpoint
ALTER TABLE `pull_requests` ADD `check_run_head_sha` text;