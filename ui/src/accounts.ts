// Accounts that sign: browser wallets through the injected-extension standard (polkadot{.js}
// extension, Talisman, SubWallet: `window.injectedWeb3`, via polkadot-api/pjs-signer), and on
// development chains only, the well-known dev accounts (//Alice …) derived from the public dev
// phrase, which anyone can sign for.

import { sr25519CreateDerive } from "@polkadot-labs/hdkd";
import { DEV_MINI_SECRET, ss58Address, ss58Decode } from "@polkadot-labs/hdkd-helpers";
import type { PolkadotSigner } from "polkadot-api";
import { connectInjectedExtension, getInjectedExtensions } from "polkadot-api/pjs-signer";
import { getPolkadotSigner } from "polkadot-api/signer";

export interface Account {
  address: string;
  name: string;
  /** "dev" for the development accounts, else the wallet extension's name. */
  source: string;
  signer: PolkadotSigner;
}

export const DEV_NAMES = ["Alice", "Bob", "Charlie", "Dave", "Eve", "Ferdie"];

/** The dev accounts //Alice … //Ferdie (sr25519), for development chains only. */
export function devAccounts(ss58: number): Account[] {
  const derive = sr25519CreateDerive(DEV_MINI_SECRET);
  return DEV_NAMES.map((name) => {
    const pair = derive(`//${name}`);
    return {
      address: ss58Address(pair.publicKey, ss58),
      name,
      source: "dev",
      signer: getPolkadotSigner(pair.publicKey, "Sr25519", pair.sign),
    };
  });
}

/** The names of the wallet extensions the browser has injected. */
export function walletExtensions(): string[] {
  return getInjectedExtensions();
}

/** Asks extension `name` for its accounts (the extension asks its user to allow this site). */
export async function walletAccounts(name: string): Promise<Account[]> {
  const extension = await connectInjectedExtension(name, "Cloudana");
  return extension.getAccounts().map((account) => ({
    address: account.address,
    name: account.name ?? account.address,
    source: name,
    signer: account.polkadotSigner,
  }));
}

/** An SS58 address as typed, trimmed; throws a readable error if it does not decode. */
export function parseAddress(text: string): string {
  const address = text.trim();
  try {
    ss58Decode(address);
  } catch {
    throw new Error(`"${text}" is not an SS58 address`);
  }
  return address;
}

const ACCOUNT_KEY = "cloudana.account";

export function rememberedAccount(): string | null {
  return localStorage.getItem(ACCOUNT_KEY);
}

export function rememberAccount(address: string) {
  localStorage.setItem(ACCOUNT_KEY, address);
}
