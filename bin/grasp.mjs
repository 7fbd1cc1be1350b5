#!/usr/bin/env node
// Runs the TypeScript CLI directly (tsx), so `npx grasp` works right after `npm ci` with no build.
import { register } from 'tsx/esm/api';
import { fileURLToPath } from 'node:url';

// Always the project's tsconfig (JSX settings), whatever the current directory.
register({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) });
await import('../src/cli/main.ts');
