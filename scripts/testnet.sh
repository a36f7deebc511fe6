#!/usr/bin/env bash
# A local Cloudana network from chain-specs/local.json: four validators (Alice, Bob, Charlie,
# Dave; Aura + GRANDPA, so one may be down), each with its own base path, its session keys put
# in its keystore with `cloudana-node key insert`, a fixed node key, the others as bootnodes and
# Prometheus on; and a fifth node, not a validator, whose off-chain worker proves with a
# `cloudana-prover` daemon as Bob. Registers the Iris accuracy circuit and Bob as its prover,
# then prints each node's best and finalized block and peers every 6 seconds until stopped.
#
#   scripts/testnet.sh [--base-port 9944] [--dir DIR] [--chain SPEC] [--no-prover]
#                      [--no-register] [--detach]
#   scripts/testnet.sh --stop [--dir DIR]    ends only the processes that run started
#
# Ports (--base-port B, default 9944): validators' RPC B..B+3 (9944–9947), the prover node's
# B+4 (9948); p2p 30333–30337 and Prometheus 9615–9619 shifted by B − 9944; the daemon 9955
# (its metrics 9956). Everything listens on 127.0.0.1. Logs: DIR/<node>.log.
# Environment as demo.sh.

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

run_network_script cli "$@"
