import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { ApiError, api, describeError, setCsrfToken, setUnauthorizedHandler } from './api';
import { RoleBadge } from './components/Badges';
import { useDocumentTitle } from './hooks';
import { loginPath, parseRoute } from './lib/routes';
import type { Me } from './lib/types';
import { IncidentListPage } from './pages/IncidentListPage';
import { IncidentPage } from './pages/IncidentPage';
import { LoginPage } from './pages/LoginPage';
import { ReportsPage } from './pages/ReportsPage';
import { SilencesPage } from './pages/SilencesPage';
import { Link, currentPath, navigate, useLocation } from './router';
import { SessionContext, useSession } from './session';
import { incidentStream, useStreamStatus } from './stream';

export function App() {
  const location = useLocation();
  const route = parseRoute(location.pathname, location.search);
  // undefined: not known yet; null: signed out
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const [bootError, setBootError] = useState<string | null>(null);

  const adopt = useCallback((next: Me | null) => {
    setCsrfToken(next?.csrfToken ?? null);
    setMe(next);
    if (next) incidentStream.start();
    else incidentStream.stop();
  }, []);

  const checkSession = useCallback(() => {
    setBootError(null);
    api.me().then(
      (m) => adopt(m),
      (e) => {
        if (e instanceof ApiError && e.status === 401) adopt(null);
        else setBootError(describeError(e));
      },
    );
  }, [adopt]);

  useEffect(() => {
    checkSession();
    setUnauthorizedHandler(() => {
      adopt(null);
      const here = currentPath();
      if (parseRoute(window.location.pathname, '').name !== 'login')
        navigate(loginPath(here), { replace: true });
    });
    return () => {
      setUnauthorizedHandler(null);
      incidentStream.stop();
    };
  }, [adopt, checkSession]);

  // signed out on a page that needs a session: to the login page, remembering where we were
  useEffect(() => {
    if (me === null && route.name !== 'login')
      navigate(loginPath(location.pathname + location.search), { replace: true });
  }, [me, route.name, location.pathname, location.search]);

  const signOut = useCallback(() => {
    api
      .logout()
      .catch(() => undefined)
      .finally(() => {
        adopt(null);
        navigate('/login');
      });
  }, [adopt]);

  const session = useMemo(() => (me ? { me, signOut } : null), [me, signOut]);

  if (bootError)
    return (
      <div className="login-page">
        <div className="login-card">
          <p className="feedback error" role="alert">
            {bootError}
          </p>
          <button type="button" className="btn" onClick={checkSession}>
            Retry
          </button>
        </div>
      </div>
    );
  if (me === undefined) return <div className="boot">Loading…</div>;

  if (route.name === 'login')
    return (
      <LoginPage
        next={route.next}
        initialError={route.error}
        me={me}
        onSignedIn={(m) => {
          adopt(m);
          navigate(route.next, { replace: true });
        }}
      />
    );
  if (!session) return <div className="boot">Redirecting to sign in…</div>;

  let page: ReactNode;
  if (route.name === 'incidents') page = <IncidentListPage />;
  else if (route.name === 'incident') page = <IncidentPage key={route.id} id={route.id} />;
  else if (route.name === 'silences') page = <SilencesPage />;
  else if (route.name === 'reports') page = <ReportsPage />;
  else page = <NotFound path={route.path} />;

  return (
    <SessionContext.Provider value={session}>
      <Shell>{page}</Shell>
    </SessionContext.Provider>
  );
}

function Shell({ children }: { children: ReactNode }) {
  const { me, signOut } = useSession();
  const status = useStreamStatus();
  return (
    <div className="app">
      <header className="topbar">
        <Link to="/" className="brand">
          <span className="brand-mark" aria-hidden="true" />
          Vigil <span className="brand-sub">SRE console</span>
        </Link>
        <nav className="nav">
          <Link to="/">Incidents</Link>
          <Link to="/silences">Silences</Link>
          <Link to="/reports">Reports</Link>
        </nav>
        <div className="topbar-right">
          <span
            className={`live live-${status}`}
            data-testid="stream-status"
            data-state={status}
            title={
              status === 'live'
                ? 'Receiving live updates'
                : status === 'idle'
                  ? 'Not connected'
                  : 'Connecting to live updates…'
            }
          >
            <span className="live-dot" />
            {status === 'live' ? 'Live' : status === 'idle' ? 'Offline' : 'Connecting'}
          </span>
          <div className="user-menu" data-testid="user-menu">
            <span className="user-name" data-testid="user-name">
              {me.user.name}
            </span>
            <RoleBadge role={me.user.role} />
            <button
              type="button"
              className="btn subtle small"
              onClick={signOut}
              data-testid="sign-out"
            >
              Sign out
            </button>
          </div>
        </div>
      </header>
      <main className="content">{children}</main>
    </div>
  );
}

function NotFound({ path }: { path: string }) {
  useDocumentTitle('Not found');
  return (
    <div className="page">
      <div className="card empty-card">
        <h1>Page not found</h1>
        <p className="muted">
          Nothing lives at <code>{path}</code>. <Link to="/">Go to the incidents</Link>
        </p>
      </div>
    </div>
  );
}
