CREATE TABLE `repos` (
	`id` integer PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`path` text NOT NULL,
	`head` text,
	`created_at` integer DEFAULT (unixepoch()) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `repos_name_unique` ON `repos` (`name`);--> statement-breakpoint
-- A database from before this table tracks one repository, named by its GitHub repository when synced, else its directory.
INSERT INTO `repos` (`id`, `name`, `path`, `head`)
SELECT 1,
  coalesce((SELECT `value` FROM `meta` WHERE `key` = 'github.repo'), nullif(replace(`value`, rtrim(`value`, replace(`value`, '/', '')), ''), ''), 'repository'),
  `value`,
  coalesce(nullif((SELECT `value` FROM `meta` WHERE `key` = 'analysis.head'), ''), (SELECT `sha` FROM `commits` ORDER BY `seq` DESC LIMIT 1))
FROM `meta` WHERE `key` = 'repo.root';
