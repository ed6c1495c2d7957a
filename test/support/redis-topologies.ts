import { execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, launch, onFreePort } from './global-setup.js';

const run = promisify(execFile);

/**
 * Redis Cluster and Sentinel topologies a test starts for itself from the machine's
 * `redis-server` and `redis-cli`: loopback only, every process started and stopped by its
 * pid, every directory removed at `dispose()`.
 */

/** One redis-server process of a topology. */
export class RedisNode {
  private child?: ChildProcess;

  constructor(
    readonly port: number,
    private readonly args: string[],
  ) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  async start(): Promise<void> {
    this.child = await launch('redis-server', this.args, this.port);
  }

  /** SIGKILL: no shutdown, no last writes flushed to anyone. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  /** One command through redis-cli, its reply as text. */
  async cli(...command: string[]): Promise<string> {
    const { stdout } = await run('redis-cli', ['-h', '127.0.0.1', '-p', String(this.port), ...command]);
    return stdout.trim();
  }
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const BASE_ARGS = ['--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];

/** 3 masters + 3 replicas with a short node timeout, so a killed master's replica takes over in ~2 s. */
export class RedisClusterTopology {
  private constructor(
    readonly nodes: RedisNode[],
    private readonly dir: string,
  ) {}

  static async start(options: { nodeTimeoutMs?: number } = {}): Promise<RedisClusterTopology> {
    const dir = mkdtempSync(join(tmpdir(), 'tsid-cluster-'));
    const nodes: RedisNode[] = [];
    const topology = new RedisClusterTopology(nodes, dir);
    try {
      // One node at a time, each on ports that are free when it binds them (retried if not).
      for (let i = 0; i < 6; i += 1) {
        const nodeDir = mkdtempSync(join(dir, `node-${i}-`));
        const node = await onFreePort(async (port) => {
          const busPort = await freePort();
          const candidate = new RedisNode(port, [
            '--port',
            String(port),
            '--cluster-port',
            String(busPort),
            '--dir',
            nodeDir,
            ...BASE_ARGS,
            '--cluster-enabled',
            'yes',
            '--cluster-config-file',
            'nodes.conf',
            '--cluster-node-timeout',
            String(options.nodeTimeoutMs ?? 1000),
          ]);
          await candidate.start();
          return candidate;
        });
        nodes.push(node);
      }
      const addresses = nodes.map((node) => `127.0.0.1:${node.port}`);
      await run('redis-cli', ['--cluster', 'create', ...addresses, '--cluster-replicas', '1', '--cluster-yes']);
      await topology.waitHealthy();
      return topology;
    } catch (error) {
      await topology.dispose();
      throw error;
    }
  }

  /** Seed URLs for REDIS_CLUSTER_NODES. */
  get urls(): string[] {
    return this.nodes.map((node) => `redis://127.0.0.1:${node.port}`);
  }

  /** Every running node says the cluster is ok and sees 3 masters, each with a replica in sync. */
  async waitHealthy(timeoutMs = 30_000): Promise<void> {
    await until(
      'cluster healthy',
      async () => {
        const running = this.nodes.filter((node) => node.running);
        const infos = await Promise.all(running.map((node) => node.cli('CLUSTER', 'INFO')));
        if (!infos.every((info) => info.includes('cluster_state:ok'))) return false;
        const roles = await Promise.all(running.map((node) => node.cli('ROLE')));
        const masters = roles.filter((role) => role.startsWith('master'));
        const syncedReplicas = roles.filter((role) => role.startsWith('slave') && role.includes('connected'));
        return masters.length === 3 && syncedReplicas.length === 3;
      },
      timeoutMs,
    );
  }

  /** The node that is master of `key`'s slot right now, as a running node sees it. */
  async masterOf(key: string): Promise<RedisNode> {
    const someone = this.nodes.find((node) => node.running)!;
    const slot = Number(await someone.cli('CLUSTER', 'KEYSLOT', key));
    // redis-cli prints `CLUSTER SLOTS` flat: from, to, master ip, master port, master id, then replicas.
    const lines = (await someone.cli('CLUSTER', 'SLOTS')).split('\n');
    for (let i = 0; i + 3 < lines.length; i += 1) {
      const [from, to, ip, port] = lines.slice(i, i + 4);
      if (!/^\d+$/.test(from) || !/^\d+$/.test(to) || ip !== '127.0.0.1') continue;
      if (Number(from) <= slot && slot <= Number(to)) return this.nodes.find((node) => node.port === Number(port))!;
    }
    throw new Error(`no master for slot ${slot}`);
  }

  /** The killed node comes back (as a replica of whoever took over its slots). */
  async restart(node: RedisNode): Promise<void> {
    await node.start();
  }

  async dispose(): Promise<void> {
    await Promise.all(this.nodes.map((node) => node.kill()));
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** 1 master + 1 replica + 3 sentinels (quorum 2), `down-after` 1 s. */
export class RedisSentinelTopology {
  static readonly masterName = 'tsid-master';

  private constructor(
    readonly master: RedisNode,
    readonly replica: RedisNode,
    readonly sentinels: RedisNode[],
    private readonly dir: string,
  ) {}

  static async start(): Promise<RedisSentinelTopology> {
    const dir = mkdtempSync(join(tmpdir(), 'tsid-sentinel-'));
    const dataDir = (name: string) => mkdtempSync(join(dir, name));
    const nodes: RedisNode[] = [];
    // Each process on a port that is free when it binds it (retried if not); the replica and
    // the sentinels name the master's port, so the master starts first.
    const startOn = async (args: (port: number) => string[]) => {
      const node = await onFreePort(async (port) => {
        const candidate = new RedisNode(port, args(port));
        await candidate.start();
        return candidate;
      });
      nodes.push(node);
      return node;
    };
    try {
      const master = await startOn((port) => ['--port', String(port), '--dir', dataDir('master'), ...BASE_ARGS]);
      const replica = await startOn((port) => [
        '--port',
        String(port),
        '--dir',
        dataDir('replica'),
        ...BASE_ARGS,
        '--replicaof',
        '127.0.0.1',
        String(master.port),
      ]);
      const sentinels: RedisNode[] = [];
      for (let i = 0; i < 3; i += 1) {
        const sentinel = await startOn((port) => {
          const conf = join(dir, `sentinel-${i}-${port}.conf`);
          writeFileSync(
            conf,
            [
              `port ${port}`,
              'bind 127.0.0.1',
              `dir ${dataDir(`sentinel-${i}-`)}`,
              `sentinel monitor ${RedisSentinelTopology.masterName} 127.0.0.1 ${master.port} 2`,
              `sentinel down-after-milliseconds ${RedisSentinelTopology.masterName} 1000`,
              `sentinel failover-timeout ${RedisSentinelTopology.masterName} 5000`,
              '',
            ].join('\n'),
          );
          return [conf, '--sentinel'];
        });
        sentinels.push(sentinel);
      }
      const topology = new RedisSentinelTopology(master, replica, sentinels, dir);
      await topology.waitHealthy();
      return topology;
    } catch (error) {
      await Promise.all(nodes.map((node) => node.kill()));
      rmSync(dir, { recursive: true, force: true });
      throw error;
    }
  }

  /** For REDIS_SENTINELS. */
  get sentinelNodes(): { host: string; port: number }[] {
    return this.sentinels.map((sentinel) => ({ host: '127.0.0.1', port: sentinel.port }));
  }

  /** The replica is in sync and every sentinel knows it and the two other sentinels. */
  async waitHealthy(timeoutMs = 30_000): Promise<void> {
    const name = RedisSentinelTopology.masterName;
    await until(
      'sentinel healthy',
      async () => {
        for (const sentinel of this.sentinels) {
          const replicas = await sentinel.cli('SENTINEL', 'REPLICAS', name);
          const others = await sentinel.cli('SENTINEL', 'SENTINELS', name);
          if (!replicas.includes('slave') || (others.match(/^name$/gm) ?? []).length < 2) return false;
        }
        const replication = await this.currentMaster().then((node) => node.cli('INFO', 'replication'));
        return replication.includes('state=online');
      },
      timeoutMs,
    );
  }

  /** The node the sentinels name as master now. */
  async currentMaster(): Promise<RedisNode> {
    const reply = await this.sentinels
      .find((sentinel) => sentinel.running)!
      .cli('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', RedisSentinelTopology.masterName);
    const port = Number(reply.split('\n')[1]);
    return [this.master, this.replica].find((node) => node.port === port)!;
  }

  async dispose(): Promise<void> {
    await Promise.all([this.master, this.replica, ...this.sentinels].map((node) => node.kill()));
    rmSync(this.dir, { recursive: true, force: true });
  }
}
