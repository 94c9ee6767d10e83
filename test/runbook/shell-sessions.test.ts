import {describe, expect, it} from 'vitest';
import {endlessCommand} from '../../src/runbook/endless-commands.js';
import {mutatingCommand} from '../../src/runbook/mutating-commands.js';
import {readScript} from '../../src/runbook/shell-reading.js';

const session = async (script: string): Promise<string | undefined> => (await readScript(script)).session?.why;
const mutating = async (script: string, extra: readonly string[] = []): Promise<(string | undefined)[]> => (await readScript(script)).commands.map((command) => mutatingCommand(command, extra));
const endless = async (script: string): Promise<(string | undefined)[]> => (await readScript(script)).commands.map((command) => endlessCommand(command));

describe('sessions a block opens', () => {
  it.each([
    ['ssh core@node-1', '`ssh` to a host without a command opens a remote shell'],
    ['ssh -i ~/.ssh/key -p 2222 core@node-1', '`ssh` to a host without a command opens a remote shell'],
    ['oc debug node/<node-name>', '`oc debug` without a command opens a shell in a debug pod'],
    ['oc debug node/x -- chroot /host', '`oc debug` runs `chroot /host`, which opens a shell'],
    ['oc -n openshift-etcd rsh etcd-0', '`oc rsh` without a command opens a shell in the pod'],
    ['kubectl exec -it <pod_name> -- sh', '`kubectl exec -it` opens an interactive shell'],
    ['kubectl exec -n ns -i -t pod -- bash', '`kubectl exec -it` opens an interactive shell'],
    ['sudo -u gitlab-psql psql -d gitlabhq_production', '`psql` without `-c` or `-f` opens a database shell'],
    ['gitlab-rails console', '`gitlab-rails console` opens a console'],
    ['chroot /host', '`chroot` to a directory without a command opens a shell in it'],
    ['mysql -u root -p', '`mysql` without `-e` opens a database shell'],
    ['redis-cli -h redis.local', '`redis-cli` without a command opens its prompt'],
    ['crictl exec -u root -it <container> /bin/bash', '`crictl exec -it` opens an interactive session'],
    ['oc project x && oc rsh pod/x', '`oc rsh` without a command opens a shell in the pod'],
    ['oc edit vm <vm-name> -n <namespace>', '`oc edit` opens an editor'],
  ])('%s', async (script, why) => {
    expect(await session(script)).toBe(why);
  });

  it.each([
    'ssh core@node-1 uptime',
    'oc debug node/x -- chroot /host journalctl -u kubelet',
    'oc rsh pod/x cat /etc/os-release',
    'kubectl exec pod -- ls /',
    'psql -c "select 1"',
    'psql -Atc "select 1"',
    'psql -f fix.sql',
    'psql < fix.sql',
    'echo "select 1" | psql',
    'ssh host <<EOF\nuptime\nEOF',
    'mysql -e "show tables"',
    'redis-cli -h r info',
    'gitlab-rails runner "puts 1"',
    'chroot /host ls',
    '# ssh host',
    'echo ssh host',
  ])('not %s', async (script) => {
    expect(await session(script)).toBeUndefined();
  });

  it('ends where the session command ends: the lines after it are for the session', async () => {
    const reading = await readScript('oc get nodes\noc debug node/<node-name>\nchroot /host\njournalctl -u kubelet\n');
    expect(reading.session).toMatchObject({start: 13, end: 38, statementEnd: 38});
  });
});

describe('mutating commands', () => {
  it('are found by program and subcommand, past global options and wrappers', async () => {
    expect(await mutating([
      'kubectl -n ns delete pod x', 'oc --context prod patch dc/x -p "{}"', 'oc adm drain node-1 --ignore-daemonsets', 'kubectl rollout restart deploy/x',
      'helm upgrade x chart', 'sudo systemctl restart kubelet', 'rm -rf /var/lib/x', 'rm -r dir', 'railway up', 'terraform apply -auto-approve',
      "psql -c 'DELETE FROM users WHERE id = 1'", 'timeout 60 oc scale --replicas=0 dc/x', 'mytool deploy --now',
    ].join('\n'), ['mytool deploy'])).toEqual([
      'kubectl delete', 'oc patch', 'oc adm drain', 'kubectl rollout restart', 'helm upgrade', 'systemctl restart', 'rm -r', 'rm -r', 'railway up', 'terraform apply',
      'psql with DELETE', 'oc scale', 'mytool deploy',
    ]);
  });

  it('are not reads of the same programs', async () => {
    expect(await mutating([
      'kubectl get pods -n ns', 'oc describe node x', 'kubectl rollout status deploy/x', 'helm list', 'systemctl status kubelet', 'rm file', 'terraform plan',
      "psql -c 'SELECT count(*) FROM users'", 'echo kubectl delete pod x', 'mytool status',
    ].join('\n'), ['mytool deploy'])).toEqual(Array.from({length: 10}, () => undefined));
  });
});

describe('never-ending commands', () => {
  it('follow, watch or forward until stopped', async () => {
    expect(await endless('oc logs -f -n ns $POD\nkubectl get pods -w\ntail -f /var/log/x\nwatch oc get nodes\ntop\njournalctl -u kubelet --follow\nkubectl port-forward svc/x 8080'))
      .toEqual(['oc logs -f', 'kubectl get --watch', 'tail -f', 'watch', 'top', 'journalctl -f', 'kubectl port-forward']);
  });

  it('end by themselves, or under `timeout`', async () => {
    expect(await endless('oc logs -n ns pod\nkubectl apply -f x.yaml\ntail -n 100 /var/log/x\ntop -b -n 1\ntimeout 30 oc logs -f pod\nping -c 3 host'))
      .toEqual(Array.from({length: 6}, () => undefined));
  });
});
