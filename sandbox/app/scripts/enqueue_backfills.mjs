// Enqueues targeted backfills: `--missing-only` for every account with
// missing aggregates, or `--account=ID` (repeatable) for chosen ones.
import {connect, DatabaseError} from './lib/database.mjs';

const args = process.argv.slice(2);
const missingOnly = args.includes('--missing-only');
const chosen = args.filter((arg) => arg.startsWith('--account=')).map((arg) => arg.slice('--account='.length));
const unknown = args.filter((arg) => arg !== '--missing-only' && !arg.startsWith('--account='));

if (unknown.length > 0 || (!missingOnly && chosen.length === 0)) {
  console.error('usage: npm run backfill:enqueue -- --missing-only | --account=ID [--account=ID …]');
  console.error(unknown.length > 0 ? `backfill:enqueue: unknown argument ${unknown[0]}` : 'backfill:enqueue: refusing a full backfill; choose --missing-only or --account=ID');
  process.exit(2);
}

try {
  const database = connect();
  console.log(`backfill:enqueue: ${database.display}`);
  const {missing} = await database.get('/aggregates');
  const accounts = [...new Set(missing.map((item) => item.accountId).filter((id) => chosen.length === 0 || chosen.includes(id)))];
  if (accounts.length === 0) {
    console.log('backfill:enqueue: nothing to enqueue');
  } else {
    const {enqueued} = await database.post('/backfills', {accounts});
    const count = (aggregate) => enqueued.filter((item) => item.aggregate === aggregate).length;
    console.log(`backfill:enqueue: enqueued ${enqueued.length} targeted backfills (positions: ${count('positions')}, openings: ${count('openings')})`);
  }
} catch (error) {
  if (!(error instanceof DatabaseError)) throw error;
  console.error(`backfill:enqueue: ${error.message}`);
  process.exitCode = 2;
}
