// Verifies that every account has its position and opening aggregates.
// Exit 0: complete (or incomplete without BACKFILL_VERIFY_STRICT=true);
// 1: aggregates are missing (strict); 2: could not verify at all.
import {connect, DatabaseError} from './lib/database.mjs';

const strict = process.env.BACKFILL_VERIFY_STRICT === 'true';

try {
  const database = connect();
  console.log(`verify:backfill: checking ${database.display}${strict ? ' (strict)' : ''}`);
  const report = await database.get('/aggregates');
  console.log(`verify:backfill: ${report.accounts} accounts, ${report.positionsChecked} positions`);
  for (const aggregate of ['positions', 'openings']) {
    const missing = report.missing.filter((item) => item.aggregate === aggregate).map((item) => item.accountId);
    if (missing.length === 0) {
      console.log(`✓ ${aggregate} aggregates complete`);
    } else {
      const shown = missing.slice(0, 3).join(', ');
      console.log(`✗ ${aggregate} aggregates missing for ${missing.length} accounts: ${shown}${missing.length > 3 ? ', …' : ''}`);
    }
  }
  const total = report.missing.length;
  if (total === 0) {
    console.log('verify:backfill: OK');
  } else if (strict) {
    console.error(`verify:backfill: FAILED: ${total} accounts need a targeted backfill (npm run backfill:enqueue -- --missing-only)`);
    process.exitCode = 1;
  } else {
    console.log(`verify:backfill: WARNING: ${total} accounts need a targeted backfill (set BACKFILL_VERIFY_STRICT=true to fail)`);
  }
} catch (error) {
  if (!(error instanceof DatabaseError)) throw error;
  console.error(`verify:backfill: cannot verify: ${error.message}`);
  process.exitCode = 2;
}
