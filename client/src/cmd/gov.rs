//! `cloudana gov`: OpenGov referenda with FRAME's own calls (`preimage.note_preimage`,
//! `referenda.submit`, `referenda.place_decision_deposit`, `conviction_voting.*`).

use super::{hex32, Output, Signer};
use anyhow::{bail, Context as _};
use clap::{Args, Subcommand, ValueEnum};
use cloudana_client::{account, runtime, signer, units::format_cld, units::parse_cld, Client};
use runtime::runtime_types::{
	cloudana_runtime::{governance::origins::pallet_custom_origins::Origin, OriginCaller},
	frame_support::traits::{preimages::Bounded, schedule::DispatchTime},
	frame_support::dispatch::RawOrigin,
	pallet_conviction_voting::{conviction::Conviction, vote::AccountVote, vote::Vote},
	pallet_referenda::types::ReferendumInfo,
};
use serde_json::json;

/// A referendum track (docs/governance.md).
#[derive(Clone, Copy, ValueEnum)]
pub enum Track {
	/// Any call, dispatched as Root.
	Root,
	/// `Referenda::cancel`.
	ReferendumCanceller,
	/// `Referenda::kill`.
	ReferendumKiller,
	/// `Economics::set_parameter`.
	EconomicParams,
	/// `Slashing::cancel_deferred_slash`.
	SlashCancel,
	/// `InsurancePool::spend` (up to 50 000 CLD).
	InsuranceSpend,
	/// `Treasury::spend` (up to 100 000 CLD).
	Treasurer,
	/// `WormholeBridge::register_peer`, `WormholeBridge::set_guardian_set`.
	BridgeAdmin,
	/// `Disputes::rule` (a dispute's first round).
	Dispute,
	/// `Disputes::rule` (a dispute's appeal).
	DisputeAppeal,
	/// `WormholeBridge::set_paused` (to pause), `WormholeBridge::cancel_inbound`: the bridge's
	/// emergency brake.
	BridgeGuardian,
}

impl Proposal {
	fn signer(&self) -> &Signer {
		match self {
			Proposal::Call { signer, .. } |
			Proposal::Parameter { signer, .. } |
			Proposal::SlashCancel { signer, .. } |
			Proposal::InsuranceSpend { signer, .. } |
			Proposal::Upgrade { signer, .. } => signer,
		}
	}
}

impl Track {
	fn origin(self) -> OriginCaller {
		match self {
			Track::Root => OriginCaller::system(RawOrigin::Root),
			Track::ReferendumCanceller => OriginCaller::Origins(Origin::ReferendumCanceller),
			Track::ReferendumKiller => OriginCaller::Origins(Origin::ReferendumKiller),
			Track::EconomicParams => OriginCaller::Origins(Origin::EconomicParams),
			Track::SlashCancel => OriginCaller::Origins(Origin::SlashCancel),
			Track::InsuranceSpend => OriginCaller::Origins(Origin::InsuranceSpend),
			Track::Treasurer => OriginCaller::Origins(Origin::Treasurer),
			Track::BridgeAdmin => OriginCaller::Origins(Origin::BridgeAdmin),
			Track::BridgeGuardian => OriginCaller::Origins(Origin::BridgeGuardian),
			Track::Dispute => OriginCaller::Origins(Origin::Dispute),
			Track::DisputeAppeal => OriginCaller::Origins(Origin::DisputeAppeal),
		}
	}
}

/// The conviction of a vote: how many vote-locking periods it locks for, and what it
/// multiplies the vote by.
#[derive(Clone, Copy, ValueEnum)]
pub enum ConvictionArg {
	/// 0.1× the vote, no lock.
	#[value(name = "0")]
	None,
	/// 1×, locked one period.
	#[value(name = "1")]
	Locked1x,
	/// 2×, two periods.
	#[value(name = "2")]
	Locked2x,
	/// 3×, four periods.
	#[value(name = "3")]
	Locked3x,
	/// 4×, eight periods.
	#[value(name = "4")]
	Locked4x,
	/// 5×, sixteen periods.
	#[value(name = "5")]
	Locked5x,
	/// 6×, thirty-two periods.
	#[value(name = "6")]
	Locked6x,
}

impl ConvictionArg {
	fn index(self) -> u8 {
		self as u8
	}
	fn conviction(self) -> Conviction {
		match self {
			ConvictionArg::None => Conviction::None,
			ConvictionArg::Locked1x => Conviction::Locked1x,
			ConvictionArg::Locked2x => Conviction::Locked2x,
			ConvictionArg::Locked3x => Conviction::Locked3x,
			ConvictionArg::Locked4x => Conviction::Locked4x,
			ConvictionArg::Locked5x => Conviction::Locked5x,
			ConvictionArg::Locked6x => Conviction::Locked6x,
		}
	}
}

/// What a vote or a delegation weighs: a balance and a conviction.
#[derive(Args)]
pub struct VoteAmount {
	/// CLD voted or delegated (locked for the conviction's period if the vote wins).
	#[arg(long)]
	balance: String,
	/// Conviction 0–6 (0: 0.1×, no lock; n: n×, locked 2ⁿ⁻¹ vote-locking periods).
	#[arg(long, value_enum, default_value = "1")]
	conviction: ConvictionArg,
}

impl VoteAmount {
	/// The balance in base units, and the conviction.
	fn parse(&self) -> anyhow::Result<(u128, ConvictionArg)> {
		Ok((parse_cld(&self.balance).context("--balance")?, self.conviction))
	}
}

/// What a proposal does.
#[derive(Subcommand)]
pub enum Proposal {
	/// Any call, SCALE-encoded (`0x…`, as polkadot.js shows a call's "encoded call data"),
	/// dispatched with the track's origin.
	Call {
		/// The encoded call.
		hex: String,
		/// The track.
		#[arg(long, value_enum)]
		track: Track,
		#[command(flatten)]
		signer: Signer,
	},
	/// Change an economics parameter (`economic_params` track): `Economics::set_parameter`,
	/// checked as a set when enacted. Names and defaults: docs/economics.md (e.g.
	/// `FeeRate 12%`, `MinimumStake 60`, `SlashDeferDuration 28800`).
	Parameter {
		/// The parameter's name, as in the runtime (`FeeRate`, `DisputeBond`, …).
		name: String,
		/// The new value: a percentage for shares (`12%`, `12.5`), CLD for amounts, a whole
		/// number for blocks, points and counts.
		value: String,
		#[command(flatten)]
		signer: Signer,
	},
	/// Cancel a deferred slash (`slash_cancel` track).
	SlashCancel {
		/// The pending slash's id (`Slashing` events `SlashDeferred`).
		slash: u64,
		#[command(flatten)]
		signer: Signer,
	},
	/// Upgrade the runtime (`root` track): `System::authorize_upgrade` with the BLAKE2-256 hash
	/// of a runtime wasm (e.g. `…/wbuild/cloudana-runtime/cloudana_runtime.compact.compressed.wasm`).
	/// Once enacted, anyone applies it with `cloudana gov apply-upgrade --wasm` (the same file);
	/// its `spec_version` must be higher than the chain's and its `spec_name` the same.
	Upgrade {
		/// The new runtime's wasm.
		#[arg(long)]
		wasm: std::path::PathBuf,
		#[command(flatten)]
		signer: Signer,
	},
	/// Pay from the insurance pool (`insurance_spend` track): an approved spend is paid by anyone's
	/// `insurancePool.payout`.
	InsuranceSpend {
		/// Amount, CLD (at most 50 000 CLD).
		#[arg(long)]
		amount: String,
		/// Beneficiary (SS58 address or secret URI).
		#[arg(long)]
		to: String,
		#[command(flatten)]
		signer: Signer,
	},
}

/// Governance.
#[derive(Subcommand)]
pub enum GovCommand {
	/// Propose: note the call's preimage, submit the referendum on its track (10 CLD submission
	/// deposit), and place the track's decision deposit.
	Propose {
		#[command(subcommand)]
		proposal: Proposal,
	},
	/// List referenda: track, phase and tally.
	List,
	/// Every runtime parameter's current value (amounts in CLD, shares in percent, periods in
	/// blocks), marking those set on chain by referenda or at genesis; the others have their
	/// default (docs/economics.md).
	Parameters,
	/// Vote aye or nay with conviction.
	Vote {
		/// The referendum.
		index: u32,
		/// `aye` or `nay`.
		#[arg(value_parser = ["aye", "nay"])]
		side: String,
		#[command(flatten)]
		amount: VoteAmount,
		#[command(flatten)]
		signer: Signer,
	},
	/// Remove the signer's vote on a referendum.
	RemoveVote {
		/// The referendum.
		index: u32,
		/// The referendum's track id: needed once the referendum has ended.
		#[arg(long)]
		track: Option<u16>,
		#[command(flatten)]
		signer: Signer,
	},
	/// Remove the signer's expired vote locks on a track (by id: root 0, economic_params 10 …).
	Unlock {
		/// The track id.
		#[arg(long)]
		track: u16,
		#[command(flatten)]
		signer: Signer,
	},
	/// Delegate the signer's votes on a track to another account.
	Delegate {
		/// The track id.
		#[arg(long)]
		track: u16,
		/// The delegate (SS58 address or secret URI).
		#[arg(long)]
		to: String,
		#[command(flatten)]
		amount: VoteAmount,
		#[command(flatten)]
		signer: Signer,
	},
	/// Apply an upgrade authorized by a `gov propose upgrade` referendum: submits
	/// `System::apply_authorized_upgrade` with the wasm whose hash was authorized (free when it
	/// succeeds). Prints the new spec version.
	ApplyUpgrade {
		/// The runtime wasm the referendum authorized.
		#[arg(long)]
		wasm: std::path::PathBuf,
		#[command(flatten)]
		signer: Signer,
	},
	/// Undelegate the signer's votes on a track.
	Undelegate {
		/// The track id.
		#[arg(long)]
		track: u16,
		#[command(flatten)]
		signer: Signer,
	},
}

/// The encoded call and its track's origin.
async fn proposal(client: &Client, proposal: Proposal) -> anyhow::Result<(Vec<u8>, OriginCaller)> {
	let at = client.api.at_current_block().await?;
	let tx = at.tx();
	let encoded = |result: Result<Vec<u8>, _>| result.map_err(|e| anyhow::anyhow!("cannot encode the call: {e}"));
	Ok(match proposal {
		Proposal::Call { hex, track, .. } => {
			let bytes = hex::decode(hex.strip_prefix("0x").unwrap_or(&hex)).context("the call: not hex")?;
			if bytes.len() < 2 {
				bail!("the call is {} byte(s): a call is at least a pallet and a call index", bytes.len());
			}
			(bytes, track.origin())
		},
		Proposal::Parameter { name, value, .. } => {
			let parameter = parameter_value(&at.metadata(), &name, &value)?;
			let call = tx.call_data(&subxt::dynamic::tx("Economics", "set_parameter", vec![parameter]));
			(encoded(call)?, Track::EconomicParams.origin())
		},
		Proposal::SlashCancel { slash, .. } => {
			let call = tx.call_data(&runtime::tx().slashing().cancel_deferred_slash(slash));
			(encoded(call)?, Track::SlashCancel.origin())
		},
		Proposal::Upgrade { wasm, .. } => {
			let code = read_wasm(&wasm)?;
			let hash = subxt::utils::H256(sp_crypto_hashing::blake2_256(&code));
			let call = tx.call_data(&runtime::tx().system().authorize_upgrade(hash));
			(encoded(call)?, OriginCaller::system(RawOrigin::Root))
		},
		Proposal::InsuranceSpend { amount, to, .. } => {
			let amount = parse_cld(&amount).context("--amount")?;
			let call = tx.call_data(&runtime::tx().insurance_pool().spend((), amount, account(&to)?, None));
			(encoded(call)?, Track::InsuranceSpend.origin())
		},
	})
}

/// A runtime wasm: read, and refused unless it is one (wasm magic, or Substrate's
/// zstd-compressed blob with its prefix).
fn read_wasm(path: &std::path::Path) -> anyhow::Result<Vec<u8>> {
	const WASM_MAGIC: &[u8] = b"\0asm";
	const COMPRESSED_MAGIC: &[u8] = &[0x52, 0xbc, 0x53, 0x76, 0x46, 0xdb, 0x8e, 0x05];
	let code = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
	if !code.starts_with(WASM_MAGIC) && !code.starts_with(COMPRESSED_MAGIC) {
		bail!("{} is not a runtime wasm (neither wasm nor a compressed wasm blob)", path.display());
	}
	Ok(code)
}

/// A runtime parameter's current value, read from `ParametersApi_current`.
struct Parameter {
	group: String,
	name: String,
	value: u128,
	/// "base units" (a balance), "perbill" (a share) or "" (blocks, points, counts).
	unit: &'static str,
}

/// `[Group(Name(key, Some(value)))]` as rows, each with its unit from the metadata.
fn current_parameters(metadata: &subxt::Metadata, all: &subxt::dynamic::Value) -> anyhow::Result<Vec<Parameter>> {
	use subxt::ext::scale_value::{Composite, Primitive, ValueDef};
	let unexpected = || anyhow::anyhow!("ParametersApi_current returned an unexpected shape");
	let items = |value: &subxt::dynamic::Value| -> Option<Vec<subxt::dynamic::Value>> {
		match &value.value {
			ValueDef::Composite(Composite::Unnamed(values)) => Some(values.clone()),
			ValueDef::Composite(Composite::Named(values)) => Some(values.iter().map(|(_, v)| v.clone()).collect()),
			ValueDef::Variant(variant) => Some(variant.values.values().cloned().collect()),
			_ => None,
		}
	};
	let variant = |value: &subxt::dynamic::Value| -> Option<(String, Vec<subxt::dynamic::Value>)> {
		match &value.value {
			ValueDef::Variant(v) => Some((v.name.clone(), v.values.values().cloned().collect())),
			_ => None,
		}
	};
	let mut rows = Vec::new();
	for item in items(all).ok_or_else(unexpected)? {
		let (group, inner) = variant(&item).ok_or_else(unexpected)?;
		let (name, fields) = variant(inner.first().ok_or_else(unexpected)?).ok_or_else(unexpected)?;
		let (some, value) = variant(fields.last().ok_or_else(unexpected)?).ok_or_else(unexpected)?;
		if some != "Some" {
			continue;
		}
		let value = value.first().ok_or_else(unexpected)?;
		let number = match &value.value {
			ValueDef::Primitive(Primitive::U128(n)) => *n,
			// A Perbill: a composite of its parts.
			ValueDef::Composite(_) => match items(value).and_then(|v| v.first().cloned()).map(|v| v.value) {
				Some(ValueDef::Primitive(Primitive::U128(n))) => n,
				_ => return Err(unexpected()),
			},
			_ => return Err(unexpected()),
		};
		let unit = parameter_unit(metadata, &group, &name);
		rows.push(Parameter { group, name, value: number, unit });
	}
	Ok(rows)
}

/// The value type of runtime parameter `group`/`name`, from the type of
/// `Economics::set_parameter`'s argument: `Group(Name(key, Option<value>))`.
fn parameter_type<'m>(metadata: &'m subxt::Metadata, group: &str, name: &str) -> anyhow::Result<&'m scale_info::Type<scale_info::form::PortableForm>> {
	use scale_info::TypeDef;
	let types = metadata.types();
	let variants = |id: u32, what: &str| -> anyhow::Result<&'m Vec<scale_info::Variant<scale_info::form::PortableForm>>> {
		match types.resolve(id).map(|ty| &ty.type_def) {
			Some(TypeDef::Variant(def)) => Ok(&def.variants),
			_ => bail!("the chain's metadata has no {what} enum"),
		}
	};
	let call = metadata
		.pallet_by_name("Economics")
		.and_then(|pallet| pallet.call_variant_by_name("set_parameter"))
		.context("the chain has no Economics::set_parameter call")?;
	let aggregate = call.fields.first().context("set_parameter takes no argument")?.ty.id;
	let group_type = variants(aggregate, "RuntimeParameters")?
		.iter()
		.find(|v| v.name == group)
		.and_then(|v| v.fields.first())
		.with_context(|| format!("RuntimeParameters has no {group} group"))?
		.ty
		.id;
	let parameters = variants(group_type, "parameters")?;
	let Some(parameter) = parameters.iter().find(|v| v.name == name) else {
		let names: Vec<_> = parameters.iter().map(|v| v.name.as_str()).collect();
		bail!("no {} parameter {name:?}; the chain has: {}", group.to_lowercase(), names.join(", "));
	};
	let option = parameter.fields.get(1).context("a parameter without a value")?.ty.id;
	let value_type = variants(option, "Option")?
		.iter()
		.find(|v| v.name == "Some")
		.and_then(|v| v.fields.first())
		.context("a parameter value that is not an Option")?
		.ty
		.id;
	types.resolve(value_type).context("a parameter value type missing from the metadata")
}

/// How a parameter's value is typed: a share (`Perbill`), a balance (`u128`, base units), a
/// whole number (blocks, points, counts), or a type the CLI does not read or write.
enum ValueKind {
	Share,
	Balance,
	Whole,
	Other,
}

fn value_kind(ty: &scale_info::Type<scale_info::form::PortableForm>) -> ValueKind {
	use scale_info::{TypeDef, TypeDefPrimitive};
	match &ty.type_def {
		TypeDef::Composite(_) if ty.path.segments.last().map(String::as_str) == Some("Perbill") => ValueKind::Share,
		TypeDef::Primitive(TypeDefPrimitive::U128) => ValueKind::Balance,
		TypeDef::Primitive(TypeDefPrimitive::U64 | TypeDefPrimitive::U32 | TypeDefPrimitive::U16 | TypeDefPrimitive::U8) =>
			ValueKind::Whole,
		_ => ValueKind::Other,
	}
}

/// How a parameter's value reads: "base units" (a balance), "perbill" (a share) or "" (blocks,
/// points, counts).
fn parameter_unit(metadata: &subxt::Metadata, group: &str, name: &str) -> &'static str {
	match parameter_type(metadata, group, name).map(value_kind) {
		Ok(ValueKind::Share) => "perbill",
		Ok(ValueKind::Balance) => "base units",
		_ => "",
	}
}

/// The `RuntimeParameters` value that sets economics parameter `name` to `text`, built from the
/// chain's metadata (the type of `Economics::set_parameter`'s argument), so that every
/// parameter the runtime has can be set: `Economics(name(key, Some(value)))`.
fn parameter_value(metadata: &subxt::Metadata, name: &str, text: &str) -> anyhow::Result<subxt::dynamic::Value> {
	use subxt::dynamic::Value;
	let ty = parameter_type(metadata, "Economics", name)?;
	let value = match value_kind(ty) {
		ValueKind::Share => {
			let percent = text.trim().trim_end_matches('%').trim();
			let percent: f64 = percent.parse().with_context(|| format!("{name}: {text:?} is not a percentage"))?;
			if !(0.0..=100.0).contains(&percent) {
				bail!("{name}: {percent}% is not between 0% and 100%");
			}
			// Perbill: parts per billion.
			Value::unnamed_composite([Value::u128((percent * 10_000_000.0).round() as u128)])
		},
		ValueKind::Balance => Value::u128(parse_cld(text).with_context(|| format!("{name} (CLD)"))?),
		ValueKind::Whole => Value::u128(text.trim().parse().with_context(|| format!("{name}: {text:?} is not a whole number"))?),
		ValueKind::Other =>
			bail!("{name}: values of type {:?} cannot be given on the command line; use `propose call`", ty.type_def),
	};
	let key = Value::unnamed_composite(Vec::<Value>::new());
	let some = Value::unnamed_variant("Some", [value]);
	Ok(Value::unnamed_variant("Economics", [Value::unnamed_variant(name, [key, some])]))
}

/// Runs a `gov` command.
pub async fn run(command: GovCommand, client: &Client, out: Output) -> anyhow::Result<()> {
	match command {
		GovCommand::Propose { proposal: p } => {
			let keypair = signer(&p.signer().suri)?;
			let (call, origin) = proposal(client, p).await?;
			let hash = subxt::utils::H256(sp_crypto_hashing::blake2_256(&call));
			let len = call.len() as u32;
			client.submit(&runtime::tx().preimage().note_preimage(call), &keypair).await.context("preimage.note_preimage")?;
			let events = client
				.submit(
					// Unvalidated: the proposal origin's type grows as tracks are added (appended,
					// so existing origins encode the same), and this CLI must still propose on a
					// chain whose runtime is older than its own: a runtime upgrade does exactly that.
					&runtime::tx()
						.referenda()
						.submit(origin, Bounded::Lookup { hash, len }, DispatchTime::After(0))
						.unvalidated(),
					&keypair,
				)
				.await
				.context("referenda.submit")?;
			let submitted = cloudana_client::event::<runtime::referenda::events::Submitted>(&events)?;
			client
				.submit(&runtime::tx().referenda().place_decision_deposit(submitted.index), &keypair)
				.await
				.context("referenda.place_decision_deposit")?;
			out.print(
				json!({"referendum": submitted.index, "track": submitted.track, "preimage": hex32(&hash.0)}),
				format!("referendum {} on track {} (preimage {})", submitted.index, submitted.track, hex32(&hash.0)),
			);
		},
		GovCommand::List => {
			let at = client.api.at_current_block().await?;
			let count = at.storage().fetch(runtime::storage().referenda().referendum_count(), ()).await?.decode()?;
			let mut rows = Vec::new();
			// Unvalidated, as `submit`: the record holds the proposal origin, whose type grows with
			// the tracks; an older runtime's records decode the same.
			let address = || runtime::storage().referenda().referendum_info_for().unvalidated();
			for index in 0..count {
				let Some(info) = at.storage().try_fetch(address(), (index,)).await? else {
					continue;
				};
				let info = info.decode()?;
				let (track, phase, tally) = match &info {
					ReferendumInfo::Ongoing(status) => {
						let phase = match &status.deciding {
							None if status.decision_deposit.is_none() => "preparing (no decision deposit)".into(),
							None => "preparing".into(),
							Some(deciding) => match deciding.confirming {
								Some(until) => format!("confirming until block {until}"),
								None => format!("deciding since block {}", deciding.since),
							},
						};
						(Some(status.track), phase, Some((status.tally.ayes, status.tally.nays, status.tally.support)))
					},
					ReferendumInfo::Approved(at, ..) => (None, format!("approved at block {at}"), None),
					ReferendumInfo::Rejected(at, ..) => (None, format!("rejected at block {at}"), None),
					ReferendumInfo::Cancelled(at, ..) => (None, format!("cancelled at block {at}"), None),
					ReferendumInfo::TimedOut(at, ..) => (None, format!("timed out at block {at}"), None),
					ReferendumInfo::Killed(at) => (None, format!("killed at block {at}"), None),
				};
				rows.push((index, track, phase, tally));
			}
			let value = json!(rows
				.iter()
				.map(|(index, track, phase, tally)| json!({
					"referendum": index,
					"track": track,
					"phase": phase,
					"ayes": tally.map(|t| t.0.to_string()),
					"nays": tally.map(|t| t.1.to_string()),
					"support": tally.map(|t| t.2.to_string()),
				}))
				.collect::<Vec<_>>());
			let text = if rows.is_empty() {
				"no referenda".to_string()
			} else {
				rows.iter()
					.map(|(index, track, phase, tally)| {
						let track = track.map(|t| format!(" track {t}")).unwrap_or_default();
						let tally = tally
							.map(|(ayes, nays, support)| {
								format!(": ayes {}, nays {}, support {}", format_cld(ayes), format_cld(nays), format_cld(support))
							})
							.unwrap_or_default();
						format!("referendum {index}{track}: {phase}{tally}")
					})
					.collect::<Vec<_>>()
					.join("\n")
			};
			out.print(value, text);
		},
		GovCommand::Parameters => {
			let at = client.api.at_current_block().await?;
			// Which parameters are stored (`Group(Name(value))`); the others have their default.
			let mut entries = at.storage().iter(runtime::storage().parameters().parameters(), ()).await?;
			let mut stored = Vec::new();
			while let Some(entry) = entries.next().await {
				stored.push(format!("{:?}", entry?.value().decode()?));
			}
			// Every parameter's current value, defaults included (`ParametersApi_current`).
			let all = at
				.runtime_apis()
				.call(subxt::dynamic::runtime_api_call::<_, subxt::dynamic::Value>("ParametersApi", "current", ()))
				.await
				.context("ParametersApi_current")?;
			let mut rows = Vec::new();
			for parameter in current_parameters(&at.metadata(), &all)? {
				let set = stored.iter().any(|s| s.starts_with(&format!("{}({}(", parameter.group, parameter.name)));
				rows.push((parameter, set));
			}
			let value = json!(rows
				.iter()
				.map(|(p, set)| json!({"group": p.group, "name": p.name, "value": p.value.to_string(), "unit": p.unit, "set": set}))
				.collect::<Vec<_>>());
			let text = rows
				.iter()
				.map(|(p, set)| {
					let shown = match p.unit {
						"base units" => format_cld(p.value),
						"perbill" => format!("{}%", p.value as f64 / 10_000_000.0),
						_ => p.value.to_string(),
					};
					format!("{}.{} = {shown}{}", p.group, p.name, if *set { " (set on chain)" } else { "" })
				})
				.collect::<Vec<_>>()
				.join("\n");
			out.print(value, text);
		},
		GovCommand::Vote { index, side, amount, signer: s } => {
			let (balance, conviction) = amount.parse()?;
			let aye = side == "aye";
			// pallet-conviction-voting's `Vote`: the aye bit (0x80) with the conviction's index.
			let aye_bit = if aye { 0x80 } else { 0 };
			let vote = Vote(aye_bit | conviction.index());
			client
				.submit(&runtime::tx().conviction_voting().vote(index, AccountVote::Standard { vote, balance }), &signer(&s.suri)?)
				.await?;
			out.print(
				json!({"referendum": index, "aye": aye, "balance": balance.to_string(), "conviction": conviction.index()}),
				format!("voted {side} on referendum {index} with {} at conviction {}", format_cld(balance), conviction.index()),
			);
		},
		GovCommand::RemoveVote { index, track, signer: s } => {
			client.submit(&runtime::tx().conviction_voting().remove_vote(track, index), &signer(&s.suri)?).await?;
			out.print(json!({"referendum": index}), format!("vote on referendum {index} removed"));
		},
		GovCommand::Unlock { track, signer: s } => {
			let keypair = signer(&s.suri)?;
			let who = keypair.public_key().to_account_id();
			client.submit(&runtime::tx().conviction_voting().unlock(track, who.clone().into()), &keypair).await?;
			out.print(json!({"account": who.to_string(), "track": track}), format!("expired vote locks of {who} on track {track} removed"));
		},
		GovCommand::Delegate { track, to, amount, signer: s } => {
			let (balance, conviction) = amount.parse()?;
			let to = account(&to)?;
			let call = runtime::tx().conviction_voting().delegate(track, to.clone().into(), conviction.conviction(), balance);
			client.submit(&call, &signer(&s.suri)?).await?;
			out.print(
				json!({"track": track, "to": to.to_string(), "balance": balance.to_string()}),
				format!("{} delegated to {to} on track {track}", format_cld(balance)),
			);
		},
		GovCommand::ApplyUpgrade { wasm, signer: s } => {
			let code = read_wasm(&wasm)?;
			let spec_version = || async {
				let at = client.api.at_current_block().await?;
				let upgrade = at.storage().fetch(runtime::storage().system().last_runtime_upgrade(), ()).await?.decode()?;
				anyhow::Ok(upgrade.spec_version)
			};
			let before = spec_version().await?;
			client
				.submit(&runtime::tx().system().apply_authorized_upgrade(code), &signer(&s.suri)?)
				.await
				.context("system.apply_authorized_upgrade (is this the wasm the referendum authorized, and enacted?)")?;
			// The new runtime records its version when it first runs: in the next block.
			let mut version = spec_version().await?;
			for _ in 0..30 {
				if version != before {
					break;
				}
				tokio::time::sleep(std::time::Duration::from_secs(1)).await;
				version = spec_version().await?;
			}
			out.print(
				json!({"spec_version_before": before, "spec_version": version}),
				format!("runtime upgraded: spec version {before} → {version}"),
			);
		},
		GovCommand::Undelegate { track, signer: s } => {
			client.submit(&runtime::tx().conviction_voting().undelegate(track), &signer(&s.suri)?).await?;
			out.print(json!({"track": track}), format!("undelegated on track {track}"));
		},
	}
	Ok(())
}
