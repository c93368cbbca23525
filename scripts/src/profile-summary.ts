// `npm run profile:summary -- <folder or .cpuprofile files>`: where each service's CPU went, by package and by
// function (self time), from the V8 profiles `PROFILE_DIR=<folder> npm start` writes when the services stop.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const ROWS = Number(process.env.PROFILE_ROWS ?? 15);

/** node_modules/<package>, our own file's folder, a Node.js module, or V8's own entries ((idle), (garbage collector)). */
function ownerOf(url: string, functionName: string): string {
  const dependency = /node_modules\/((@[^/]+\/)?[^/]+)/.exec(url);
  if (dependency) return dependency[1];
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  if (url.startsWith('file://') || url.startsWith('/')) return `ours: ${path.relative(path.resolve(__dirname, '../..'), url.replace('file://', '')).split('/').slice(0, 3).join('/')}`;
  return functionName || '(unknown)';
}

function summarize(file: string): string {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfTime = new Map<number, number>();
  profile.samples.forEach((id, i) => selfTime.set(id, (selfTime.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...selfTime.values()].reduce((sum, time) => sum + time, 0);
  const byOwner = new Map<string, number>();
  const byFunction = new Map<string, number>();
  for (const [id, time] of selfTime) {
    const { functionName, url, lineNumber } = nodes.get(id)!.callFrame;
    const owner = ownerOf(url, functionName);
    byOwner.set(owner, (byOwner.get(owner) ?? 0) + time);
    const where = url ? `${url.replace(/.*node_modules\//, '').replace(/^file:\/\//, '')}:${lineNumber + 1}` : '(native)';
    const name = `${functionName || '(anonymous)'}  ${where}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + time);
  }
  const top = (times: Map<string, number>) =>
    [...times]
      .sort((a, b) => b[1] - a[1])
      .slice(0, ROWS)
      .map(([name, time]) => `  ${((100 * time) / total).toFixed(1).padStart(5)}%  ${name}`)
      .join('\n');
  return `${path.basename(file)}: ${(total / 1e6).toFixed(1)} s sampled (idle included)\n by package\n${top(byOwner)}\n by function (self time)\n${top(byFunction)}\n`;
}

const inputs = process.argv.slice(2);
if (inputs.length === 0) {
  process.stderr.write('Usage: npm run profile:summary -- <folder or .cpuprofile files> (PROFILE_DIR=<folder> npm start writes them)\n');
  process.exit(2);
}
const files = inputs.flatMap((input) =>
  statSync(input).isDirectory()
    ? readdirSync(input)
        .filter((name) => name.endsWith('.cpuprofile'))
        .sort()
        .map((name) => path.join(input, name))
    : [input],
);
for (const file of files) process.stdout.write(`${summarize(file)}\n`);
