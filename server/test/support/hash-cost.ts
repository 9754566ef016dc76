/**
 * The bcrypt cost test servers run at (CODEX_LB_PASSWORD_HASH_COST) unless a test sets its own:
 * bcrypt's cheapest, ≈1 ms a hash instead of ≈380 ms at the default 12, because the suites hash and
 * compare hundreds of passwords. password.test.ts proves the default is 12, and
 * dashboard-password-cost.integration.test.ts that a configured cost is the one used.
 */
export const TEST_PASSWORD_HASH_COST = 4
