// Signing and submitting extrinsics, with their progress and their errors in words.

import type { Transaction, TxEventsPayload } from "polkadot-api";
import { InvalidTxError } from "polkadot-api";
import { createContext } from "preact";
import { useContext, useState } from "preact/hooks";
import type { Account } from "./accounts";
import { message } from "./chain";

export const AccountContext = createContext<Account | undefined>(undefined);

export function useAccount(): Account | undefined {
  return useContext(AccountContext);
}

/** A dispatch error as `Pallet.Error` (e.g. `Referenda.NotOngoing`), or its JSON. */
export function dispatchErrorText(error: { type: string; value: unknown }): string {
  if (error.type === "Module") {
    const module = error.value as { type: string; value?: { type?: string } };
    return `${module.type}.${module.value?.type ?? "?"}`;
  }
  const inner = error.value as { type?: string } | undefined;
  return inner?.type ? `${error.type}.${inner.type}` : error.type;
}

/** The fields of the first `pallet`.`name` event an included extrinsic emitted. */
export function findEvent<T>(included: Included, pallet: string, name: string): T | undefined {
  const event = included.events.find((e) => e.type === pallet && (e.value as { type: string }).type === name);
  return (event?.value as { value: T } | undefined)?.value;
}

/** A transaction included in a best block, or why not. */
export type Included = TxEventsPayload & { ok: true };

/**
 * Signs `tx` with `account`, submits it, and resolves once it is in a best block and
 * succeeded; rejects with a readable message if it is invalid or its dispatch failed.
 */
export function submit(tx: Transaction, account: Account, onStatus?: (text: string) => void): Promise<Included> {
  return new Promise((resolve, reject) => {
    onStatus?.("waiting for the signature…");
    const subscription = tx.signSubmitAndWatch(account.signer).subscribe({
      next: (event) => {
        if (event.type === "signed") onStatus?.("signed; submitting…");
        else if (event.type === "broadcasted") onStatus?.("submitted; waiting for a block…");
        else if (event.type === "txBestBlocksState" && event.found) {
          subscription.unsubscribe();
          if (event.ok) resolve(event as Included);
          else reject(new Error(`the extrinsic failed: ${dispatchErrorText(event.dispatchError)}`));
        } else if (event.type === "finalized") {
          subscription.unsubscribe();
          if (event.ok) resolve(event as Included);
          else reject(new Error(`the extrinsic failed: ${dispatchErrorText(event.dispatchError)}`));
        }
      },
      error: (error) => {
        if (error instanceof InvalidTxError) reject(new Error(`the node refused the extrinsic: ${message(error.error)}`));
        else reject(new Error(message(error)));
      },
    });
  });
}

/** A transaction's progress, shown in the app's transaction log (it outlives its button). */
export interface TxStatus {
  id: number;
  label: string;
  text: string;
  kind: "busy" | "ok" | "error";
}

type Report = (status: TxStatus) => void;
export const TxLogContext = createContext<Report>(() => {});
let nextId = 0;

/**
 * The app's transaction log: the latest status of each kind of transaction, in a live region
 * named "<button label>: result", so that a result stays readable when the page re-renders
 * (a "Place decision deposit" button disappears once the deposit is placed).
 */
export function TxLog(props: { entries: TxStatus[] }) {
  if (props.entries.length === 0) return null;
  return (
    <aside class="txlog" aria-label="transactions">
      {props.entries.map((e) => (
        <div key={e.id} role="status" aria-label={`${e.label}: result`} class={`status ${e.kind}`}>
          <strong>{e.label}</strong>: {e.text}
        </div>
      ))}
    </aside>
  );
}

/** Keeps the latest status per label, newest first, at most 6. */
export function useTxLog(): [TxStatus[], Report] {
  const [entries, setEntries] = useState<TxStatus[]>([]);
  const report = (status: TxStatus) => setEntries((all) => [status, ...all.filter((e) => e.label !== status.label)].slice(0, 6));
  return [entries, report];
}

/**
 * A button that builds a transaction, signs it with the selected account, and reports its
 * progress and result to the transaction log.
 */
export function TxButton(props: {
  label: string;
  build: () => Transaction | Promise<Transaction>;
  onDone?: (result: Included) => void | string | Promise<void | string>;
  disabled?: boolean;
}) {
  const account = useAccount();
  const report = useContext(TxLogContext);
  const [busy, setBusy] = useState(false);
  const run = async () => {
    const id = ++nextId;
    const set = (text: string, kind: TxStatus["kind"]) => report({ id, label: props.label, text, kind });
    if (!account) return set("choose an account first (top right)", "error");
    setBusy(true);
    try {
      set("building…", "busy");
      const tx = await props.build();
      const included = await submit(tx, account, (text) => set(text, "busy"));
      const note = (await props.onDone?.(included)) ?? "";
      set(`done in block #${included.block.number}${note ? ": " + note : ""}`, "ok");
    } catch (error) {
      set(message(error), "error");
    } finally {
      setBusy(false);
    }
  };
  return (
    <button type="button" class="txbutton" onClick={run} disabled={busy || props.disabled}>
      {props.label}
    </button>
  );
}
