//! `cloudana balance`.

use super::{Output, Signer};
use clap::Args;
use cloudana_client::{account, units::format_cld, Client};
use serde_json::json;

/// Free and held balance of an account (SS58 address, secret URI, or `treasury`).
#[derive(Args)]
pub struct BalanceArgs {
	/// Account [default: the --suri account].
	account: Option<String>,
	#[command(flatten)]
	signer: Signer,
}

/// Runs `balance`.
pub async fn run(args: BalanceArgs, client: &Client, out: Output) -> anyhow::Result<()> {
	let who = account(args.account.as_deref().unwrap_or(&args.signer.suri))?;
	let (free, held) = client.balance(&who).await?;
	out.print(
		json!({"account": who.to_string(), "free": free.to_string(), "held": held.to_string()}),
		format!("{who}: free {}, held {}", format_cld(free), format_cld(held)),
	);
	Ok(())
}
