/** @jsxRuntime automatic @jsxImportSource hono/jsx */
/**
 * The frame of every page: header with navigation and login state, the shared stylesheet, and the
 * small pieces pages share (login prompt, error page). No scripts anywhere.
 */
import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import type { Viewer } from './session.ts';

// A constant of ours (not untrusted text): standards mode instead of quirks mode.
const DOCTYPE = raw('<!DOCTYPE html>');

export const CSS_PATH = '/assets/grasp.css';

export function loginHref(next: string): string {
  return `/login?next=${encodeURIComponent(next)}`;
}

export function Layout(props: { title: string; viewer: Viewer | null; path: string; children?: Child }) {
  const { viewer } = props;
  return (
    <>
      {DOCTYPE}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{props.title} · grasp</title>
          <link rel="stylesheet" href={CSS_PATH} />
        </head>
        <body>
          <header class="top">
            <a class="brand" href="/">
              grasp
            </a>
            <nav>
              <a href="/">Overview</a>
              <a href="/queue">Queue</a>
              <a href="/agents">Agents</a>
              <a href="/digest">Digest</a>
              <a href="/checklist">Checklist</a>
              {viewer ? <a href={`/engineers/${encodeURIComponent(viewer.handle)}`}>My report</a> : null}
            </nav>
            <div class="who">
              {viewer ? (
                <>
                  <span>
                    logged in as <strong data-viewer={viewer.handle}>{viewer.handle}</strong>
                  </span>
                  <form method="post" action="/logout" class="inline">
                    <button type="submit">Log out</button>
                  </form>
                </>
              ) : (
                <a href={loginHref(props.path)}>Log in</a>
              )}
            </div>
          </header>
          <main>{props.children}</main>
        </body>
      </html>
    </>
  );
}

/** Shown where logged-out readers would see buttons. */
export function LoginPrompt(props: { path: string; what: string }) {
  return (
    <p class="notice login-prompt">
      Read-only: <a href={loginHref(props.path)}>log in</a> with your token to {props.what}.
    </p>
  );
}

export function ErrorPage(props: { status: number; message: string; viewer: Viewer | null; path: string; back?: string }) {
  return (
    <Layout title={`Error ${props.status}`} viewer={props.viewer} path={props.path}>
      <h1>{props.status === 404 ? 'Not found' : props.status === 403 ? 'Forbidden' : 'Something is wrong'}</h1>
      <p class="notice error" role="alert">
        {props.message}
      </p>
      <p>
        <a href={props.back ?? '/'}>Back</a>
      </p>
    </Layout>
  );
}
