import { Session, type Profiler } from 'node:inspector';
import { relative, sep } from 'node:path';

/** One line of a profile summary: where self time went. */
export interface ProfileLine {
  /** `function (file)`, the file relative to the project or as `package/file` inside node_modules. */
  readonly where: string;
  /** Share of all samples, 0..1. */
  readonly share: number;
}

/** Runs `work` under V8's sampling CPU profiler and returns the functions with the most self time, grouped by file. */
export async function profileSelfTime(work: () => Promise<unknown>, top = 8): Promise<ProfileLine[]> {
  const session = new Session();
  session.connect();
  const post = <T>(method: string, params?: object) =>
    new Promise<T>((resolve, reject) => session.post(method, params, (error, result) => (error ? reject(error) : resolve(result as T))));
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 100 });
  await post('Profiler.start');
  let profile: Profiler.Profile;
  try {
    await work();
  } finally {
    ({ profile } = await post<{ profile: Profiler.Profile }>('Profiler.stop'));
    session.disconnect();
  }
  const hits = new Map<string, number>();
  let total = 0;
  for (const node of profile.nodes) {
    const where = describe(node.callFrame);
    // Waiting for the socket is not work: shares are of the busy samples.
    if (where === '(idle)') continue;
    const count = node.hitCount ?? 0;
    total += count;
    hits.set(where, (hits.get(where) ?? 0) + count);
  }
  return [...hits.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([where, count]) => ({ where, share: count / total }));
}

function describe(frame: Profiler.ProfileNode['callFrame']): string {
  const name = frame.functionName || '(anonymous)';
  if (!frame.url) return name;
  const path = frame.url.replace(/^file:\/\//, '');
  const inModules = path.lastIndexOf(`node_modules${sep}`);
  const file = inModules >= 0 ? path.slice(inModules + 'node_modules/'.length) : path.startsWith('node:') ? path : relative(process.cwd(), path);
  return `${name} (${file})`;
}
