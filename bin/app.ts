#!/usr/bin/env node
import { buildApp } from '../lib/app';
import { ConfigError } from '../lib/config';

try {
  buildApp();
} catch (e) {
  // A configuration mistake is the user's to fix: say what and where, without a stack trace.
  if (!(e instanceof ConfigError)) throw e;
  process.stderr.write(`The product configuration cannot be used:\n${e.message}\n`);
  process.exitCode = 1;
}
