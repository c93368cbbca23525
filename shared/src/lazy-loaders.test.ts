// Loaders made on first read: each family once per request, never shared between requests.
import { lazyLoaders } from './lazy-loaders';

function families() {
  const made: string[] = [];
  const projects = (db: string) => (made.push(`projects:${db}`), { project: { db, name: 'project' }, projectCount: { db, name: 'count' } });
  const members = (db: string) => (made.push(`members:${db}`), { member: { db, name: 'member' } });
  return { made, create: lazyLoaders([projects, members]) };
}

it('makes a family the first time one of its loaders is read, once per request', () => {
  const { made, create } = families();
  const first = create('a');
  made.length = 0; // the first request also learns which loaders each family has
  expect(first.project).toEqual({ db: 'a', name: 'project' });
  expect(first.projectCount).toEqual({ db: 'a', name: 'count' });
  expect(first.project).toBe(first.project);
  expect(made).toEqual(['projects:a']);
  const second = create('b');
  expect(second.member).toEqual({ db: 'b', name: 'member' });
  expect(second.project).not.toBe(first.project);
  expect(made).toEqual(['projects:a', 'members:b', 'projects:b']);
});

it('refuses two families that name the same loader', () => {
  const create = lazyLoaders([() => ({ project: 1 }), () => ({ project: 2 })]);
  expect(() => create()).toThrow(/name "project"/);
  expect(() => lazyLoaders([() => ({ args: 1 })])()).toThrow(/may not be named "args"/);
});
