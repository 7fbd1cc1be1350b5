ALTER TABLE `web_sessions` ADD `token_id` integer;--> statement-breakpoint
CREATE INDEX `web_sessions_token` ON `web_sessions` (`token_id`);