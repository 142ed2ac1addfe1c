/**
 * How the simulated workers are named and where they listen, after the setups kctop
 * meets in real life:
 *
 * - `docker`: one container per worker, as docker-compose.yml runs them. worker_id is
 *   `connect-N:8083`; both ports are on 127.0.0.1 (Prometheus labels its targets with
 *   `worker_id`, or kctop gets `--worker-map`).
 * - `one-host`: several workers on one machine. worker_id is `127.0.0.1:<REST port>`,
 *   the exporter targets are other ports of the same host, so host names cannot tell
 *   the workers apart.
 * - `kubernetes`: worker_id is the pod's advertised DNS name
 *   (`connect-N.connect.kafka.svc.cluster.local:8083`) while REST and the exporter
 *   listen on the pod IP (127.0.1.N here), which shares nothing with that name.
 */

export const topologies = ['docker', 'one-host', 'kubernetes'] as const;
export type Topology = (typeof topologies)[number];

export function isTopology(text: string): text is Topology {
	return topologies.some(topology => topology === text);
}

/** The loopback address worker `index` listens on. */
export function bindAddress(topology: Topology, index: number): string {
	return topology === 'kubernetes' ? `127.0.1.${index + 1}` : '127.0.0.1';
}

/** The host name and the advertised REST worker_id of worker `index`. */
export function workerIdentity(topology: Topology, index: number, restPort: number): {readonly host: string; readonly id: string} {
	switch (topology) {
		case 'docker':
			return {host: `connect-${index + 1}`, id: `connect-${index + 1}:8083`};
		case 'one-host':
			return {host: '127.0.0.1', id: `127.0.0.1:${restPort}`};
		case 'kubernetes': {
			const host = `connect-${index}.connect.kafka.svc.cluster.local`;
			return {host, id: `${host}:8083`};
		}
	}
}
