// The incident list: filtered by the URL's query, kept live by the stream.
import { useCallback, useEffect, useMemo, useRef, useState, type MouseEvent } from 'react';
import { api, describeError, isAbort } from '../api';
import { SeverityBadge, StatusBadge, PlanStateBadge } from '../components/Badges';
import { useDocumentTitle, useNow } from '../hooks';
import {
  RANGE_PRESETS,
  applyStreamedIncident,
  emptyFilters,
  filtersToApiQuery,
  filtersToSearch,
  hasActiveFilters,
  parseFilters,
  sortIncidents,
  type IncidentFilters,
  type RangePreset,
} from '../lib/filters';
import {
  formatScore,
  formatTimestamp,
  fromLocalInputValue,
  relativeTime,
  toLocalInputValue,
} from '../lib/format';
import { incidentPath } from '../lib/routes';
import { SEVERITIES, STATUSES, type IncidentListItem } from '../lib/types';
import { Link, navigate, remembered, useLocation } from '../router';
import { useIncidentStream } from '../stream';

const FLASH_MS = 2500;
const TYPING_DELAY_MS = 300;

function toggle<T>(list: readonly T[], value: T, order: readonly T[]): T[] {
  const next = list.includes(value) ? list.filter((v) => v !== value) : [...list, value];
  return order.filter((v) => next.includes(v));
}

export function IncidentListPage() {
  useDocumentTitle('Incidents');
  const { search } = useLocation();
  const filters = useMemo(() => parseFilters(search), [search]);
  const filtersKey = filtersToSearch(filters);
  const filtersRef = useRef(filters);
  filtersRef.current = filters;
  const now = useNow(15_000);

  useEffect(() => {
    remembered.listSearch = filtersKey;
  }, [filtersKey]);

  const setFilters = useCallback((next: IncidentFilters) => {
    navigate(`/${filtersToSearch(next)}`, { replace: true });
  }, []);

  // --- the rows -----------------------------------------------------------------------------
  const [rows, setRowsState] = useState<IncidentListItem[] | null>(null);
  const rowsRef = useRef<IncidentListItem[] | null>(null);
  const setRows = (list: IncidentListItem[] | null) => {
    rowsRef.current = list;
    setRowsState(list);
  };
  const [loadError, setLoadError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const loadSeq = useRef(0);
  const inFlight = useRef<AbortController | null>(null);
  // rows streamed while a fetch is in flight: applied on top of its (older) answer
  const streamedDuringLoad = useRef(new Map<string, IncidentListItem>());

  const load = useCallback(async () => {
    inFlight.current?.abort();
    const controller = new AbortController();
    inFlight.current = controller;
    const seq = ++loadSeq.current;
    streamedDuringLoad.current = new Map();
    setLoading(true);
    try {
      const answer = await api.incidents(
        filtersToApiQuery(filtersRef.current, Date.now()),
        controller.signal,
      );
      if (seq !== loadSeq.current) return;
      let list = sortIncidents(Array.isArray(answer?.incidents) ? answer.incidents : []);
      for (const item of streamedDuringLoad.current.values()) {
        const known = list.find((i) => i.incidentId === item.incidentId);
        if (known && Date.parse(known.updatedAt) > Date.parse(item.updatedAt)) continue;
        list = applyStreamedIncident(list, item, filtersRef.current, Date.now()).list;
      }
      setRows(list);
      setLoadError(null);
    } catch (e) {
      if (isAbort(e) || seq !== loadSeq.current) return;
      setLoadError(describeError(e));
    } finally {
      if (seq === loadSeq.current) {
        setLoading(false);
        inFlight.current = null;
      }
    }
  }, []);

  useEffect(() => {
    void load();
  }, [filtersKey, load]);
  useEffect(() => () => inFlight.current?.abort(), []);

  // --- live updates ---------------------------------------------------------------------------
  const [flashing, setFlashing] = useState<ReadonlySet<string>>(new Set());
  const flashTimers = useRef(new Map<string, ReturnType<typeof setTimeout>>());
  const flash = (id: string) => {
    clearTimeout(flashTimers.current.get(id));
    setFlashing((prev) => new Set(prev).add(id));
    flashTimers.current.set(
      id,
      setTimeout(() => {
        flashTimers.current.delete(id);
        setFlashing((prev) => {
          const next = new Set(prev);
          next.delete(id);
          return next;
        });
      }, FLASH_MS),
    );
  };
  useEffect(() => {
    const timers = flashTimers.current;
    return () => timers.forEach((t) => clearTimeout(t));
  }, []);

  const refetchTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(refetchTimer.current), []);

  useIncidentStream({
    onIncident: (item) => {
      if (inFlight.current) streamedDuringLoad.current.set(item.incidentId, item);
      const current = rowsRef.current;
      if (!current) return;
      const result = applyStreamedIncident(current, item, filtersRef.current, Date.now());
      setRows(result.list);
      if (result.changed) flash(item.incidentId);
      if (result.refetch) {
        clearTimeout(refetchTimer.current);
        refetchTimer.current = setTimeout(() => void load(), 500);
      }
    },
    onReady: () => void load(),
  });

  // --- text filters follow typing after a pause ---------------------------------------------------
  const [serviceText, setServiceText] = useState(filters.service);
  const [searchText, setSearchText] = useState(filters.q);
  useEffect(() => {
    setServiceText((text) => (text.trim() === filters.service ? text : filters.service));
  }, [filters.service]);
  useEffect(() => {
    setSearchText((text) => (text.trim() === filters.q.trim() ? text : filters.q));
  }, [filters.q]);
  const typingTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  // edits of both text fields within one pause are applied together
  const pendingText = useRef<Partial<IncidentFilters>>({});
  useEffect(() => () => clearTimeout(typingTimer.current), []);
  const typed = (patch: Partial<IncidentFilters>, immediately = false) => {
    clearTimeout(typingTimer.current);
    pendingText.current = { ...pendingText.current, ...patch };
    const apply = () => {
      const pending = pendingText.current;
      pendingText.current = {};
      setFilters({ ...filtersRef.current, ...pending });
    };
    if (immediately) apply();
    else typingTimer.current = setTimeout(apply, TYPING_DELAY_MS);
  };

  const knownServices = useMemo(
    () => [...new Set((rows ?? []).flatMap((r) => r.services))].sort(),
    [rows],
  );

  const rangeValue = filters.range || (filters.since || filters.until ? 'custom' : '');
  const [customRange, setCustomRange] = useState(rangeValue === 'custom');
  const showCustom = customRange || rangeValue === 'custom';

  const openRow = (event: MouseEvent<HTMLTableRowElement>, id: string) => {
    if ((event.target as HTMLElement).closest('a, button, input')) return;
    if (window.getSelection()?.toString()) return; // selecting text, not opening
    navigate(incidentPath(id));
  };

  const active = hasActiveFilters(filters);
  return (
    <div className="page list-page">
      <div className="page-head">
        <h1>Incidents</h1>
        <span className="muted">
          {rows ? `${rows.length} incident${rows.length === 1 ? '' : 's'}` : ''}
          {loading && rows ? ' · refreshing…' : ''}
        </span>
      </div>

      <div className="filters" role="search">
        <fieldset className="filter-group" data-testid="filter-status">
          <legend>Status</legend>
          {STATUSES.map((s) => (
            <label key={s} className={`chip${filters.status.includes(s) ? ' on' : ''}`}>
              <input
                type="checkbox"
                value={s}
                checked={filters.status.includes(s)}
                onChange={() =>
                  setFilters({ ...filters, status: toggle(filters.status, s, STATUSES) })
                }
              />
              {s}
            </label>
          ))}
        </fieldset>
        <fieldset className="filter-group" data-testid="filter-severity">
          <legend>Severity</legend>
          {SEVERITIES.map((s) => (
            <label
              key={s}
              className={`chip sev-chip-${s}${filters.severity.includes(s) ? ' on' : ''}`}
            >
              <input
                type="checkbox"
                value={s}
                checked={filters.severity.includes(s)}
                onChange={() =>
                  setFilters({ ...filters, severity: toggle(filters.severity, s, SEVERITIES) })
                }
              />
              {s}
            </label>
          ))}
        </fieldset>
        <label className="filter-field">
          <span>Service</span>
          <input
            className="input"
            type="text"
            placeholder="exact name"
            list="known-services"
            value={serviceText}
            onChange={(e) => {
              setServiceText(e.target.value);
              typed({ service: e.target.value.trim() });
            }}
            onKeyDown={(e) => {
              if (e.key === 'Enter') typed({ service: serviceText.trim() }, true);
            }}
            data-testid="filter-service"
          />
          <datalist id="known-services">
            {knownServices.map((s) => (
              <option key={s} value={s} />
            ))}
          </datalist>
        </label>
        <label className="filter-field">
          <span>Time</span>
          <select
            className="input"
            value={showCustom ? 'custom' : rangeValue}
            onChange={(e) => {
              const value = e.target.value;
              if (value === 'custom') {
                setCustomRange(true);
                return;
              }
              setCustomRange(false);
              setFilters({ ...filters, range: value as RangePreset | '', since: '', until: '' });
            }}
            data-testid="filter-range"
          >
            <option value="">Any time</option>
            {RANGE_PRESETS.map((p) => (
              <option key={p.value} value={p.value}>
                {p.label}
              </option>
            ))}
            <option value="custom">Custom range…</option>
          </select>
        </label>
        {showCustom && (
          <>
            <label className="filter-field">
              <span>Since</span>
              <input
                className="input"
                type="datetime-local"
                value={toLocalInputValue(filters.since)}
                onChange={(e) =>
                  setFilters({ ...filters, range: '', since: fromLocalInputValue(e.target.value) })
                }
                data-testid="filter-since"
              />
            </label>
            <label className="filter-field">
              <span>Until</span>
              <input
                className="input"
                type="datetime-local"
                value={toLocalInputValue(filters.until)}
                onChange={(e) =>
                  setFilters({ ...filters, range: '', until: fromLocalInputValue(e.target.value) })
                }
                data-testid="filter-until"
              />
            </label>
          </>
        )}
        <label className="filter-field grow">
          <span>Search</span>
          <input
            className="input"
            type="search"
            placeholder="title, service, alert, root cause…"
            value={searchText}
            onChange={(e) => {
              setSearchText(e.target.value);
              typed({ q: e.target.value });
            }}
            onKeyDown={(e) => {
              if (e.key === 'Enter') typed({ q: searchText }, true);
            }}
            data-testid="filter-search"
          />
        </label>
        {active && (
          <button
            type="button"
            className="btn subtle"
            onClick={() => {
              clearTimeout(typingTimer.current);
              pendingText.current = {};
              setCustomRange(false);
              setServiceText('');
              setSearchText('');
              setFilters(emptyFilters());
            }}
            data-testid="filter-clear"
          >
            Clear filters
          </button>
        )}
      </div>

      {loadError && (
        <p className="feedback error" role="alert" data-testid="list-error">
          Could not load incidents: {loadError}{' '}
          <button type="button" className="btn subtle small" onClick={() => void load()}>
            Retry
          </button>
        </p>
      )}

      <div className="card table-card">
        <table className="grid incidents" data-testid="incident-list" aria-busy={rows === null}>
          <thead>
            <tr>
              <th className="col-sev">Severity</th>
              <th>Title</th>
              <th>Status</th>
              <th>Services</th>
              <th className="num">Alerts</th>
              <th>Root cause</th>
              <th>Plan</th>
              <th>Opened</th>
              <th>Updated</th>
            </tr>
          </thead>
          <tbody>
            {rows?.map((row) => (
              <tr
                key={row.incidentId}
                className={`incident-row clickable${flashing.has(row.incidentId) ? ' flash' : ''}${row.status === 'resolved' ? ' dim' : ''}`}
                data-testid="incident-row"
                data-incident-id={row.incidentId}
                data-status={row.status}
                data-severity={row.severity}
                data-changed={flashing.has(row.incidentId) ? 'true' : undefined}
                onClick={(e) => openRow(e, row.incidentId)}
              >
                <td className="col-sev">
                  <SeverityBadge severity={row.severity} />
                </td>
                <td className="title-cell">
                  <Link to={incidentPath(row.incidentId)} className="row-title">
                    {row.title}
                  </Link>
                  <div className="mono muted small">{row.incidentId}</div>
                </td>
                <td>
                  <StatusBadge status={row.status} />
                </td>
                <td>
                  <span className="services">
                    {row.services.slice(0, 4).map((s) => (
                      <span key={s} className="tag">
                        {s}
                      </span>
                    ))}
                    {row.services.length > 4 && (
                      <span className="muted small" title={row.services.slice(4).join(', ')}>
                        +{row.services.length - 4}
                      </span>
                    )}
                  </span>
                </td>
                <td className="num">{row.alertCount}</td>
                <td>
                  {row.rootCause ? (
                    <span className="root-cause-cell">
                      <span className="mono">{row.rootCause.service}</span>{' '}
                      <span className="score">{formatScore(row.rootCause.score)}</span>
                    </span>
                  ) : (
                    <span className="muted">—</span>
                  )}
                </td>
                <td>
                  {row.planState ? (
                    <PlanStateBadge state={row.planState} />
                  ) : (
                    <span className="muted">—</span>
                  )}
                </td>
                <td className="nowrap" title={formatTimestamp(row.openedAt)}>
                  {relativeTime(row.openedAt, now)}
                </td>
                <td className="nowrap" title={formatTimestamp(row.updatedAt)}>
                  {relativeTime(row.updatedAt, now)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {rows === null && !loadError && <p className="empty">Loading incidents…</p>}
        {rows !== null && rows.length === 0 && (
          <p className="empty" data-testid="incident-list-empty">
            {active ? 'No incidents match these filters.' : 'No incidents. All quiet.'}
          </p>
        )}
      </div>
    </div>
  );
}
