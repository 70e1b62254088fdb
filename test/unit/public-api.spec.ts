/**
 * The library as users get it: one entry point whose every export is documented and listed in
 * docs/api.md, and a package manifest that declares what the code requires.
 */
import { readFileSync } from 'node:fs';
import semver from 'semver';
import { API_DOC, readApi, renderApi, TESTING_ENTRY } from '../../tools/api-report';
import { installedVersion, readManifest } from '../support/manifests';

describe('public API', () => {
  const api = readApi();

  it('documents every export with TSDoc', () => {
    expect(api.length).toBeGreaterThan(50);
    expect(api.filter((e) => e.doc === '').map((e) => `${e.name} (${e.file})`)).toEqual([]);
  });

  it('exports the module, its options and the programming model', () => {
    const names = api.map((e) => e.name);
    for (const name of [
      'PushpageModule',
      'PushpageModuleOptions',
      'PushpageAsyncOptions',
      'PushpageOptionsFactory',
      'PushpageRoutes',
      'PageRoute',
      'handler',
      'HandlerRef',
      'OnStartup',
      'WebPage',
      'Div',
      'defineShared',
      'EventMessage',
    ]) {
      expect(names).toContain(name);
    }
  });

  it('exports none of the engine: store, dispatcher, gateway, services behind the module', () => {
    const names = api.map((e) => e.name);
    for (const name of [
      'PUSHPAGE_STORE',
      'MemoryStore',
      'RedisStore',
      'EventDispatcher',
      'PagesService',
      'TasksService',
      'PushpageGateway',
      'SessionService',
    ]) {
      expect(names).not.toContain(name);
    }
  });

  it('is listed in docs/api.md as the sources say (npm run docs:api rewrites it)', () => {
    expect(readFileSync(API_DOC, 'utf8')).toBe(renderApi(api));
  });
});

describe('the testing entry point (pushpage/testing)', () => {
  const api = readApi(TESTING_ENTRY);

  it('documents every export with TSDoc', () => {
    expect(api.filter((e) => e.doc === '').map((e) => `${e.name} (${e.file})`)).toEqual([]);
  });

  it('exports the client, the page, the app helper and the error', () => {
    expect(api.map((e) => e.name)).toEqual(
      expect.arrayContaining([
        'PushpageTestClient',
        'openTestPage',
        'TestPage',
        'createTestingApp',
        'PushpageApiError',
      ]),
    );
  });

  it('is none of the main entry point, which never loads it', () => {
    const main = new Set(readApi().map((e) => e.name));
    expect(api.filter((e) => main.has(e.name)).map((e) => e.name)).toEqual([]);
    expect(readApi().filter((e) => e.file.startsWith('testing/'))).toEqual([]);
  });
});

describe('the package manifest (libs/pushpage/package.json)', () => {
  const lib = readManifest('libs/pushpage');
  const workspace = readManifest('.');

  it('declares Nest and the HTTP and socket platforms as peers, not dependencies', () => {
    for (const name of [
      '@nestjs/common',
      '@nestjs/core',
      '@nestjs/websockets',
      '@nestjs/platform-express',
      '@nestjs/platform-socket.io',
      'reflect-metadata',
      'rxjs',
      'socket.io',
      'class-validator',
    ]) {
      expect(lib.peerDependencies?.[name]).toBeDefined();
      expect(lib.dependencies?.[name]).toBeUndefined();
    }
  });

  it('accepts the versions the workspace builds and tests with', () => {
    const ranges = { ...lib.dependencies, ...lib.peerDependencies, ...lib.devDependencies };
    const mismatches = Object.entries(ranges).flatMap(([name, range]) =>
      semver.satisfies(installedVersion(name), range)
        ? []
        : [`${name}: ${range} does not accept the installed ${installedVersion(name)}`],
    );
    expect(mismatches).toEqual([]);
  });

  it('starts every dependency range at the version the workspace tests', () => {
    // the floor is what every suite here runs on; the consumer suite installs the newest in range
    const floors = Object.entries(lib.dependencies ?? {}).flatMap(([name, range]) => {
      const floor = semver.minVersion(range)?.version;
      return floor === installedVersion(name)
        ? []
        : [`${name}: ${range} starts at ${floor}, the workspace tests ${installedVersion(name)}`];
    });
    expect(floors).toEqual([]);
  });

  it('agrees with the workspace root on every package both declare', () => {
    const root = { ...workspace.dependencies, ...workspace.devDependencies };
    const lists = { ...lib.dependencies, ...lib.peerDependencies };
    const disagreements = Object.entries(lists).flatMap(([name, range]) =>
      root[name] === undefined || semver.satisfies(root[name], range)
        ? []
        : [`${name}: the root pins ${root[name]}, the library asks ${range}`],
    );
    expect(disagreements).toEqual([]);
  });
});
