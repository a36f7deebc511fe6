// A standard Substrate client against a running Cloudana node: polkadot.js reads the metadata,
// finds the Jobs, Verifier, ProverStaking, Reputation and Slashing calls, and calls them; then
// runs a root referendum from preimage to enactment with FRAME's governance calls.
//
// Usage: node check.mjs ws://127.0.0.1:9944
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';

const url = process.argv[2] ?? 'ws://127.0.0.1:9944';
const api = await ApiPromise.create({ provider: new WsProvider(url), noInitWarn: true });
const fail = (message) => { console.error(`FAIL: ${message}`); process.exit(1); };
const check = (condition, message) => { if (!condition) fail(message); console.log(`ok: ${message}`); };

check(api.runtimeVersion.specName.toString() === 'cloudana', 'the runtime is cloudana');
for (const [pallet, calls] of Object.entries({
  jobs: ['submit', 'lock', 'submitResult', 'cancel'],
  verifier: ['registerVk', 'unregisterVk'],
  proverStaking: ['register', 'bondExtra', 'unbond', 'withdrawUnbonded', 'setCircuits', 'heartbeat', 'chill', 'activate'],
  reputation: ['rate', 'forceSetScore'],
  slashing: ['cancelDeferredSlash'],
  economics: ['setParameter'],
})) {
  for (const call of calls) check(typeof api.tx[pallet]?.[call] === 'function', `api.tx.${pallet}.${call} exists`);
}
check(api.consts.jobs.cancellationFee.toNumber() === 100_000_000, 'Jobs.CancellationFee is 10% (Perbill)');
check(api.consts.slashing.insuranceShare.toNumber() === 800_000_000, 'Slashing.InsuranceShare is 80% (Perbill)');
const bobReputation = (await api.call.reputationApi.reputation('5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty')).unwrap();
check(bobReputation.score.toNumber() === 700 && bobReputation.tier.isGold, 'ReputationApi: Bob starts Gold (700) on the dev chain');
check(api.registry.chainDecimals[0] === 12 && api.registry.chainTokens[0] === 'CLD', 'CLD has 12 decimals');

const keyring = new Keyring({ type: 'sr25519' });
const ferdie = keyring.addFromUri('//Ferdie');
const send = (tx, signer = ferdie) => new Promise((resolve, reject) => {
  tx.signAndSend(signer, ({ status, dispatchError, events }) => {
    if (dispatchError) {
      const { section, name } = dispatchError.isModule ? api.registry.findMetaError(dispatchError.asModule) : {};
      resolve({ error: section ? `${section}.${name}` : dispatchError.toString(), events });
    } else if (status.isFinalized) {
      resolve({ events });
    }
  }).catch(reject);
});

// A call that succeeds: Ferdie registers as a prover.
const circuit = '0x' + '11'.repeat(32);
const registered = await send(api.tx.proverStaking.register(50n * 10n ** 12n, [circuit]));
check(!registered.error, `proverStaking.register succeeds (${registered.error ?? 'ok'})`);
check(registered.events.some(({ event }) => api.events.proverStaking.ProverRegistered.is(event)), 'ProverRegistered is emitted');
const prover = (await api.query.proverStaking.provers(ferdie.address)).unwrap();
check(prover.stake.toBigInt() === 50n * 10n ** 12n, 'the stake is readable from storage');

// Calls that fail, with their named errors.
const unknown = await send(api.tx.jobs.submit('0x' + '22'.repeat(32), [], {
  minPrice: 1, maxPrice: 2, rampBlocks: 1, lockTimeout: 10, proofTimeout: 10, collateral: 0,
}));
check(unknown.error === 'jobs.CircuitNotFound', `jobs.submit on an unknown circuit fails with jobs.CircuitNotFound (${unknown.error})`);
const badKey = await send(api.tx.verifier.registerVk({
  alphaG1: '0x' + '00'.repeat(64), betaG2: '0x' + '00'.repeat(128), gammaG2: '0x' + '00'.repeat(128),
  deltaG2: '0x' + '00'.repeat(128), ic: ['0x' + '00'.repeat(64), '0x' + '00'.repeat(64)],
}));
check(badKey.error === 'verifier.IdentityInVerifyingKey', `verifier.registerVk of an all-identity key fails (${badKey.error})`);
const badStars = await send(api.tx.reputation.rate({ Job: 0 }, 6));
check(badStars.error === 'reputation.InvalidStars', `reputation.rate with 6 stars fails (${badStars.error})`);
const noSlash = await send(api.tx.slashing.cancelDeferredSlash(99));
check(noSlash.error === 'BadOrigin', `slashing.cancelDeferredSlash by a signed account fails with BadOrigin (${noSlash.error})`);

// OpenGov with FRAME's own calls only: a `root` referendum from preimage to enactment, voted
// with conviction by the development accounts (the development chain divides every governance
// period by 1 440, so it takes a few dozen blocks).
const started = Date.now();
const dev = ['//Alice', '//Bob', '//Charlie', '//Dave', '//Eve', '//Ferdie'].map((uri) => keyring.addFromUri(uri));
const key = '0x' + Buffer.from(':cloudana:governed').toString('hex');
const proposal = api.tx.system.setStorage([[key, '0x01']]);
const preimage = proposal.method.toHex();
const noted = await send(api.tx.preimage.notePreimage(preimage), dev[0]);
check(!noted.error, `preimage.notePreimage succeeds (${noted.error ?? 'ok'})`);
const index = (await api.query.referenda.referendumCount()).toNumber();
const submitted = await send(api.tx.referenda.submit(
  { system: 'Root' },
  { Lookup: { hash: proposal.method.hash.toHex(), len: proposal.method.encodedLength } },
  { After: 0 },
), dev[0]);
check(!submitted.error, `referenda.submit with a system: Root origin succeeds (${submitted.error ?? 'ok'})`);
const deposited = await send(api.tx.referenda.placeDecisionDeposit(index), dev[0]);
check(!deposited.error, `referenda.placeDecisionDeposit succeeds (${deposited.error ?? 'ok'})`);
for (const voter of dev) {
  const voted = await send(api.tx.convictionVoting.vote(index, {
    Standard: { vote: { aye: true, conviction: 'Locked1x' }, balance: 900_000n * 10n ** 12n },
  }), voter);
  if (voted.error) fail(`convictionVoting.vote by ${voter.address} failed: ${voted.error}`);
}
check(true, 'convictionVoting.vote (aye, 1x conviction) by six development accounts');
let info;
for (let i = 0; i < 600; i++) {
  info = await api.query.referenda.referendumInfoFor(index);
  const stored = await api.rpc.state.getStorage(key);
  if (info.unwrap().isApproved && stored.isSome) break;
  if (info.unwrap().isRejected || info.unwrap().isTimedOut) fail(`referendum ${index} ended ${info.unwrap().type}`);
  await new Promise((r) => setTimeout(r, 250));
}
check(info.unwrap().isApproved, `referendum ${index} is approved`);
check((await api.rpc.state.getStorage(key)).isSome, `its call was enacted (${((Date.now() - started) / 1000).toFixed(0)} s from preimage to enactment)`);

await api.disconnect();
console.log('polkadot.js: all checks passed');
