#!/usr/bin/env node
// Runs the compiled CLI; build first with `npm run build`.
import '../dist/cli/main.js'
