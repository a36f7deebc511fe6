// Cloudana's web app: referenda, proposals, disputes, the account, and the explorer, against
// any Cloudana node (the node URL is set in the page and remembered).

import { render } from "preact";
import { useEffect, useMemo, useState } from "preact/hooks";
import { devAccounts, rememberAccount, rememberedAccount, walletAccounts, walletExtensions, type Account } from "./accounts";
import { blockTimer, connect, forgetProposedNode, initialNode, message, proposedNode, rememberNode, SessionContext, type Chain } from "./chain";
import { AccountContext, TxLog, TxLogContext, useTxLog } from "./tx";
import { ReferendaList, ReferendumPage } from "./pages/Referenda";
import { ProposePage } from "./pages/Propose";
import { DisputePage, DisputesList } from "./pages/Disputes";
import { AccountPage } from "./pages/Account";
import { FundsPage, GridPage, GridsPage, JobPage, JobsPage, ProverPage, ProversPage } from "./pages/Explorer";
import "./style.css";

function useHash(): string {
  const [hash, setHash] = useState(location.hash || "#/");
  useEffect(() => {
    const on = () => setHash(location.hash || "#/");
    addEventListener("hashchange", on);
    return () => removeEventListener("hashchange", on);
  }, []);
  return hash;
}

const NAV: Array<[string, string]> = [
  ["#/", "Referenda"],
  ["#/propose", "Propose"],
  ["#/disputes", "Disputes"],
  ["#/account", "Account"],
  ["#/jobs", "Jobs"],
  ["#/grids", "Grids"],
  ["#/provers", "Provers"],
  ["#/funds", "Treasury"],
];

function Page(props: { hash: string }) {
  const parts = props.hash.replace(/^#\/?/, "").split("/");
  const id = parts[1];
  const whole = (text: string | undefined) => (text && /^\d+$/.test(text) ? text : undefined);
  switch (parts[0]) {
    case "":
    case "referenda":
      return whole(id) ? <ReferendumPage index={Number(id)} /> : <ReferendaList />;
    case "propose":
      return <ProposePage />;
    case "disputes":
      return whole(id) ? <DisputePage id={BigInt(id)} /> : <DisputesList />;
    case "account":
      return <AccountPage />;
    case "jobs":
      return whole(id) ? <JobPage id={BigInt(id)} /> : <JobsPage />;
    case "grids":
      return whole(id) ? <GridPage id={BigInt(id)} /> : <GridsPage />;
    case "provers":
      return id ? <ProverPage address={id} /> : <ProversPage />;
    case "funds":
      return <FundsPage />;
    default:
      return (
        <p role="alert">
          No page {props.hash}. <a href="#/">Referenda</a>
        </p>
      );
  }
}

function NodeForm(props: { url: string; onConnect: (url: string) => void; status: string; error?: string }) {
  const [draft, setDraft] = useState(props.url);
  useEffect(() => setDraft(props.url), [props.url]);
  return (
    <form
      class="node"
      aria-label="node"
      onSubmit={(e) => {
        e.preventDefault();
        props.onConnect(draft.trim());
      }}
    >
      <label>
        <span>Node URL</span>
        <input aria-label="Node URL" value={draft} onInput={(e) => setDraft((e.target as HTMLInputElement).value)} />
      </label>
      <button type="submit">Connect</button>
      <span role="status" aria-label="connection" class={props.error ? "status error" : "status"}>
        {props.error ?? props.status}
      </span>
    </form>
  );
}

function AccountPicker(props: { chain: Chain; account?: Account; onAccount: (a?: Account) => void }) {
  const { chain } = props;
  const dev = useMemo(() => (chain.dev ? devAccounts(chain.ss58) : []), [chain]);
  const [wallet, setWallet] = useState<Account[]>([]);
  const [note, setNote] = useState("");
  const all = [...wallet, ...dev];
  useEffect(() => {
    const remembered = rememberedAccount();
    if (!props.account && remembered) props.onAccount(all.find((a) => a.address === remembered));
  }, [all.length]);
  const connectWallets = async () => {
    const names = walletExtensions();
    if (names.length === 0) {
      setNote("no wallet extension found (polkadot{.js}, Talisman or SubWallet)");
      return;
    }
    const found: Account[] = [];
    for (const name of names) {
      try {
        found.push(...(await walletAccounts(name)));
      } catch (error) {
        setNote(`${name}: ${message(error)}`);
      }
    }
    setWallet(found);
    if (found.length) setNote(`${found.length} wallet account(s)`);
  };
  return (
    <div class="accounts">
      <label>
        <span>Account</span>
        <select
          aria-label="Account"
          value={props.account?.address ?? ""}
          onChange={(e) => {
            const address = (e.target as HTMLSelectElement).value;
            const account = all.find((a) => a.address === address);
            if (account) rememberAccount(account.address);
            props.onAccount(account);
          }}
        >
          <option value="">— none (read only) —</option>
          {wallet.length > 0 && (
            <optgroup label="Wallet accounts">
              {wallet.map((a) => (
                <option key={a.address} value={a.address}>
                  {a.name} ({a.source})
                </option>
              ))}
            </optgroup>
          )}
          {dev.length > 0 && (
            <optgroup label="Development accounts: well-known keys, for dev chains only">
              {dev.map((a) => (
                <option key={a.address} value={a.address}>
                  {a.name} (dev account)
                </option>
              ))}
            </optgroup>
          )}
        </select>
      </label>
      <button type="button" onClick={connectWallets}>
        Connect wallet
      </button>
      {props.account?.source === "dev" && (
        <span class="badge dev" aria-label="development account">
          DEV ACCOUNT: anyone can sign for it
        </span>
      )}
      {note && <small>{note}</small>}
    </div>
  );
}

function App() {
  const [url, setUrl] = useState(initialNode);
  const [proposed, setProposed] = useState(() => proposedNode(url));
  const [chain, setChain] = useState<Chain>();
  const [best, setBest] = useState(0);
  const [error, setError] = useState<string>();
  const [account, setAccount] = useState<Account>();
  const [txs, reportTx] = useTxLog();
  const hash = useHash();

  useEffect(() => {
    const controller = new AbortController();
    let current: Chain | undefined;
    let unsubscribe = () => {};
    setChain(undefined);
    setError(undefined);
    setAccount(undefined);
    // While a link's node awaits the user's answer, connect to nothing.
    if (proposed) return () => controller.abort();
    connect(url, controller.signal).then(
      (c) => {
        if (controller.signal.aborted) return c.client.destroy();
        current = c;
        const timer = blockTimer(c);
        const subscription = c.client.bestBlocks$.subscribe({
          next: (blocks) => {
            if (!blocks[0]) return;
            timer(blocks[0].number);
            setBest(blocks[0].number);
          },
          error: (e) => setError(`lost the node: ${message(e)}`),
        });
        unsubscribe = () => subscription.unsubscribe();
        setChain(c);
      },
      (e) => !controller.signal.aborted && setError(`cannot connect to ${url}: ${message(e)}`),
    );
    return () => {
      controller.abort();
      unsubscribe();
      current?.client.destroy();
    };
  }, [url, proposed]);

  const status = chain
    ? `${chain.name} (${chain.chainType}) · block #${best}`
    : proposed
      ? "waiting for your answer about the link's node"
      : `connecting to ${url}…`;
  return (
    <>
      <header>
        <a class="brand" href="#/">
          Cloudana
        </a>
        <NodeForm
          url={url}
          status={status}
          error={error}
          onConnect={(next) => {
            rememberNode(next);
            setUrl(next);
          }}
        />
        {chain && <AccountPicker chain={chain} account={account} onAccount={setAccount} />}
      </header>
      {proposed && (
        <section role="alertdialog" aria-label="switch node" class="error">
          <p>
            This link asks the app to use the node <code>{proposed}</code> instead of <code>{url}</code>. A node you do not trust can show false balances,
            jobs and referenda. Switch only if you know it.
          </p>
          <button
            onClick={() => {
              rememberNode(proposed);
              setUrl(proposed);
              setProposed(undefined);
              forgetProposedNode();
            }}
          >
            Switch to this node
          </button>{" "}
          <button
            onClick={() => {
              setProposed(undefined);
              forgetProposedNode();
            }}
          >
            Stay on {url}
          </button>
        </section>
      )}
      <nav aria-label="pages">
        {NAV.map(([href, name]) => (
          <a key={href} href={href} aria-current={(hash === href || (href !== "#/" && hash.startsWith(href))) && "page"}>
            {name}
          </a>
        ))}
      </nav>
      {chain && chain.incompatible.length > 0 && (
        <p role="alert" class="error">
          This node's runtime differs from the one this app was built for in {chain.incompatible.join(", ")}: those pages may fail. Rebuild the app from
          the node's metadata.
        </p>
      )}
      <TxLog entries={txs} />
      <main>
        {chain ? (
          <SessionContext.Provider value={{ chain, best }}>
            <AccountContext.Provider value={account}>
              <TxLogContext.Provider value={reportTx}>
                <Page hash={hash} />
              </TxLogContext.Provider>
            </AccountContext.Provider>
          </SessionContext.Provider>
        ) : (
          <p class="muted">{error ? "Set the URL of a Cloudana node above (ws://host:port)." : "Connecting…"}</p>
        )}
      </main>
    </>
  );
}

render(<App />, document.getElementById("app")!);
