import {spawn} from 'node:child_process';
import {readFileSync} from 'node:fs';

// Runs a command to its end, sampling the peak RSS of the process (VmHWM,
// not its children's) every `sampleMs`; rejects on a non-zero exit with
// what the command printed on stderr.
export function measureProcess(file, args, {cwd, sampleMs = 10} = {}) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(file, args, {cwd, stdio: ['ignore', 'ignore', 'pipe']});
    let peak = 0;
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setInterval(() => (peak = Math.max(peak, peakRss(child.pid))), sampleMs);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearInterval(timer);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (code !== 0) reject(new Error(`${file} ${args.join(' ')} exited ${code}: ${stderr}`));
      else resolve({seconds, peak});
    });
  });
}

function peakRss(pid) {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}
