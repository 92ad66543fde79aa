import { useEffect, useState, type FormEvent } from 'react';
import { api, describeError } from '../api';
import { useDocumentTitle } from '../hooks';
import type { AuthProviders, Me } from '../lib/types';
import { Link } from '../router';

interface LoginPageProps {
  next: string;
  /** A failed sign-in reported through the URL (the OIDC callback's `?error=`). */
  initialError: string;
  me: Me | null;
  onSignedIn: (me: Me) => void;
}

export function LoginPage({ next, initialError, me, onSignedIn }: LoginPageProps) {
  useDocumentTitle('Sign in');
  const [providers, setProviders] = useState<AuthProviders | null>(null);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(initialError || null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let live = true;
    api
      .providers()
      .then((p) => live && setProviders(p))
      // without the provider list, offer the local form: the server still decides
      .catch(() => live && setProviders({ local: true, oidc: null }));
    return () => {
      live = false;
    };
  }, []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const signedIn = await api.login(username.trim(), password);
      onSignedIn(signedIn);
    } catch (e) {
      setError(describeError(e));
      setPassword('');
    } finally {
      setBusy(false);
    }
  };

  const local = providers?.local ?? true;
  const oidc = providers?.oidc ?? null;
  return (
    <div className="login-page">
      <div className="login-card">
        <div className="brand big">
          <span className="brand-mark" aria-hidden="true" />
          Vigil <span className="brand-sub">SRE console</span>
        </div>
        {me && (
          <p className="notice">
            Signed in as <strong>{me.user.name}</strong> ({me.user.role}).{' '}
            <Link to={next}>Continue →</Link>
          </p>
        )}
        {local && (
          <form onSubmit={submit} className="login-form" noValidate>
            <label>
              Username
              <input
                className="input"
                name="username"
                autoComplete="username"
                autoFocus
                required
                value={username}
                onChange={(e) => setUsername(e.target.value)}
                data-testid="login-username"
              />
            </label>
            <label>
              Password
              <input
                className="input"
                name="password"
                type="password"
                autoComplete="current-password"
                required
                value={password}
                onChange={(e) => setPassword(e.target.value)}
                data-testid="login-password"
              />
            </label>
            {error && (
              <p className="feedback error" role="alert" data-testid="login-error">
                {error}
              </p>
            )}
            <button
              type="submit"
              className="btn primary wide"
              disabled={busy}
              data-testid="login-submit"
            >
              {busy ? 'Signing in…' : 'Sign in'}
            </button>
          </form>
        )}
        {!local && error && (
          <p className="feedback error" role="alert" data-testid="login-error">
            {error}
          </p>
        )}
        {local && oidc && <div className="or">or</div>}
        {oidc && (
          <a className="btn wide oidc" href={oidc.loginUrl} data-testid="login-oidc">
            Sign in with {oidc.name}
          </a>
        )}
        {providers && !local && !oidc && (
          <p className="feedback error">No sign-in method is configured on this console.</p>
        )}
      </div>
    </div>
  );
}
