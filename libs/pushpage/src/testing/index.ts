/**
 * `pushpage/testing`: drive the pages of your Pushpage app from its tests, without a browser,
 * over the REST API (docs/rest.md). Not imported by the main entry point, so it adds nothing
 * to an app's production imports.
 * @packageDocumentation
 */
export { createTestingApp } from './testing-app';
export type { TestingApp, TestingAppOptions } from './testing-app';
export { openTestPage, PushpageTestClient } from './test-client';
export type { OpenTestPageOptions, TestClientOptions } from './test-client';
export { TestPage } from './test-page';
export type { EventDetails, NodeRef, WaitForOptions } from './test-page';
export type { TestTarget } from './http-session';
export { PushpageApiError } from './api-error';
