// The seed's worked example, second half, against a running Cloudana dev node: a prover that
// locks a 50 CLD job and does not prove it in time. Run by scripts/economics-example.sh after
// the first half (a completed job) has run through the node's off-chain worker and prover.
//
// Usage: node economics-example.mjs ws://127.0.0.1:9944 <circuit id 0x…>
// Prints `key: value` lines (amounts in CLD) for slashed, to_insurance, burned,
// reputation_delta and refunded, and the events that produced them.
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';

const [url = 'ws://127.0.0.1:9944', circuit] = process.argv.slice(2);
const api = await ApiPromise.create({ provider: new WsProvider(url), noInitWarn: true });
const keyring = new Keyring({ type: 'sr25519' });
const [alice, bob] = [keyring.addFromUri('//Alice'), keyring.addFromUri('//Bob')];
const CLD = 10n ** 12n;
const cld = (base) => {
  const b = BigInt(base);
  const whole = b / CLD, frac = (b < 0n ? -b : b) % CLD;
  return frac === 0n ? whole.toString() : `${whole}.${frac.toString().padStart(12, '0').replace(/0+$/, '')}`;
};
const die = (message) => { console.error(`error: ${message}`); process.exit(1); };

// Signs and sends; resolves with the events once in a block (the dev chain may report it
// finalized at once), rejects with the named error.
const send = (tx, signer) => new Promise((resolve, reject) => {
  tx.signAndSend(signer, { nonce: -1 }, ({ status, dispatchError, events }) => {
    if (dispatchError) {
      const { section, name } = dispatchError.isModule ? api.registry.findMetaError(dispatchError.asModule) : {};
      reject(new Error(section ? `${section}.${name}` : dispatchError.toString()));
    } else if (status.isInBlock || status.isFinalized) {
      resolve(events);
    }
  }).catch(reject);
});

// Resolves with the first event `pick` returns a value for, in blocks from now on.
const waitFor = (what, pick, timeoutBlocks = 60) => new Promise((resolve, reject) => {
  let blocks = 0;
  api.query.system.events((records) => {
    for (const { event } of records) {
      const value = pick(event);
      if (value !== undefined) return resolve(value);
    }
    if (++blocks > timeoutBlocks) reject(new Error(`no ${what} within ${timeoutBlocks} blocks`));
  });
});

const reputation = async () => (await api.call.reputationApi.reputation(bob.address)).unwrap().score.toNumber();

// The slash is deferred by SlashDeferDuration (2 days by default); a Root parameter change
// shortens it to 20 blocks on this dev chain (through `Economics::set_parameter`, which checks
// the parameters as a set: 20 blocks is a dispute's evidence period here, 2 days divided by
// the chain's TimeDivisor of 1 440, the shortest deferral that leaves room for an appeal), so
// the example finishes in about a minute.
await send(api.tx.sudo.sudo(api.tx.economics.setParameter({ Economics: { SlashDeferDuration: [null, 20] } })), alice);
console.error('set economics.SlashDeferDuration = 20 blocks (sudo)');

const scoreBefore = await reputation();
const stakeBefore = (await api.query.proverStaking.provers(bob.address)).unwrap().stake.toBigInt();
const terms = { minPrice: 50n * CLD, maxPrice: 50n * CLD, rampBlocks: 0, lockTimeout: 8, proofTimeout: 10, collateral: 0 };
const submitted = await send(api.tx.jobs.submit(circuit, ['0x' + '00'.repeat(32), '0x' + '00'.repeat(32)], terms), alice);
const job = submitted.map(({ event }) => api.events.jobs.JobSubmitted.is(event) ? event.data.job.toNumber() : undefined)
  .find((j) => j !== undefined);
console.error(`Alice submitted job ${job}: 50 CLD, lockable for 8 blocks, 10 blocks to prove`);
const expired = waitFor('JobExpired', (e) => api.events.jobs.JobExpired.is(e) && e.data.job.toNumber() === job ? e.data.refund.toBigInt() : undefined);
const reported = waitFor('OffenceReported', (e) => api.events.slashing.OffenceReported.is(e) ? e.data.slash.toNumber() : undefined);
await send(api.tx.jobs.lock(job), bob);
console.error(`Bob locked job ${job} and does not prove it`);
const refunded = await expired;
const slashId = await reported;
const scoreAfter = await reputation();
console.error(`job ${job} timed out and expired; slash ${slashId} is pending`);
const applied = await waitFor('SlashApplied', (e) => api.events.slashing.SlashApplied.is(e) && e.data.slash.toNumber() === slashId
  ? { amount: e.data.amount.toBigInt(), toInsurance: e.data.toInsurance.toBigInt(), burned: e.data.burned.toBigInt() } : undefined);
const stakeAfter = (await api.query.proverStaking.provers(bob.address)).unwrap().stake.toBigInt();
if (stakeBefore - stakeAfter !== applied.amount) die(`the stake fell by ${cld(stakeBefore - stakeAfter)}, the slash says ${cld(applied.amount)}`);

console.log(`slashed: ${cld(applied.amount)}`);
console.log(`to_insurance: ${cld(applied.toInsurance)}`);
console.log(`burned: ${cld(applied.burned)}`);
console.log(`reputation_delta: ${scoreAfter - scoreBefore}`);
console.log(`refunded: ${cld(refunded)}`);
await api.disconnect();
