import { incidentPath, loginPath, parseRoute, safeNext } from './routes';

describe('routes', () => {
  it('parses the pages', () => {
    expect(parseRoute('/', '')).toEqual({ name: 'incidents' });
    expect(parseRoute('/login', '?next=%2Fincidents%2Fabc')).toEqual({
      name: 'login',
      next: '/incidents/abc',
      error: '',
    });
    expect(parseRoute('/login', '?error=nora%20is%20in%20no%20group')).toEqual({
      name: 'login',
      next: '/',
      error: 'nora is in no group',
    });
    expect(parseRoute('/incidents/inc%3A42/', '')).toEqual({ name: 'incident', id: 'inc:42' });
    expect(parseRoute('/silences/', '')).toEqual({ name: 'silences' });
    expect(parseRoute('/reports', '')).toEqual({ name: 'reports' });
    expect(parseRoute('/nope', '')).toEqual({ name: 'not-found', path: '/nope' });
    expect(parseRoute('/incidents/%E0%A4%A', '').name).toBe('not-found');
  });

  it('round-trips incident ids', () => {
    const id = 'inc/with space?';
    expect(parseRoute(incidentPath(id), '')).toEqual({ name: 'incident', id });
  });

  it('only goes back to paths on this site', () => {
    expect(safeNext('/incidents/a?x=1')).toBe('/incidents/a?x=1');
    expect(safeNext('https://evil.example')).toBe('/');
    expect(safeNext('//evil.example')).toBe('/');
    expect(safeNext('/\\evil.example')).toBe('/');
    expect(safeNext('/\t/evil.example')).toBe('/');
    expect(safeNext('/\n/evil.example')).toBe('/');
    expect(safeNext('/login?next=/')).toBe('/');
    expect(safeNext(null)).toBe('/');
  });

  it('remembers the page asked for', () => {
    expect(loginPath('/')).toBe('/login');
    expect(loginPath('/incidents/a?x=1')).toBe('/login?next=%2Fincidents%2Fa%3Fx%3D1');
  });
});
