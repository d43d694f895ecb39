'use client';
/** The dashboard's charts (recharts): runs per day by status, success rate, durations, tokens and cost. */
import { Area, AreaChart, Bar, BarChart, CartesianGrid, ComposedChart, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { DayStats } from '../../lib/api';

const COLORS = { completed: '#1c7c3c', failed: '#b42318', cancelled: '#8a5a00', rate: '#3b5bdb', avg: '#0369a1', tokens: '#be185d', cost: '#7c3aed' };
const day = (d: string) => d.slice(5, 10);
const axis = { fontSize: 11, fill: '#5b6472' };

export function RunsByStatusChart({ data }: { data: DayStats[] }) {
  return (
    <ResponsiveContainer width="100%" height="100%">
      <BarChart data={data} margin={{ top: 8, right: 8, left: -16, bottom: 0 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="date" tickFormatter={day} tick={axis} />
        <YAxis allowDecimals={false} tick={axis} />
        <Tooltip />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        <Bar dataKey="completed" stackId="s" fill={COLORS.completed} isAnimationActive={false} />
        <Bar dataKey="failed" stackId="s" fill={COLORS.failed} isAnimationActive={false} />
        <Bar dataKey="cancelled" stackId="s" fill={COLORS.cancelled} isAnimationActive={false} />
      </BarChart>
    </ResponsiveContainer>
  );
}

export function SuccessRateChart({ data }: { data: DayStats[] }) {
  const rows = data.map((d) => ({ date: d.date, rate: d.total > 0 ? Math.round((d.completed / d.total) * 1000) / 10 : null }));
  return (
    <ResponsiveContainer width="100%" height="100%">
      <AreaChart data={rows} margin={{ top: 8, right: 8, left: -16, bottom: 0 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="date" tickFormatter={day} tick={axis} />
        <YAxis domain={[0, 100]} unit="%" tick={axis} />
        <Tooltip formatter={(v) => `${String(v)} %`} />
        <Area type="monotone" dataKey="rate" name="success rate" stroke={COLORS.rate} fill="#e7ecff" dot={{ r: 3 }} connectNulls isAnimationActive={false} />
      </AreaChart>
    </ResponsiveContainer>
  );
}

export function DurationChart({ data }: { data: DayStats[] }) {
  // A day without runs has no duration (not 0 ms): leave a gap instead of a misleading dip.
  const rows = data.map((d) => ({ date: d.date, avgDuration: d.total > 0 ? d.avgDuration : null }));
  return (
    <ResponsiveContainer width="100%" height="100%">
      <LineChart data={rows} margin={{ top: 8, right: 8, left: -8, bottom: 0 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="date" tickFormatter={day} tick={axis} />
        <YAxis unit=" ms" tick={axis} />
        <Tooltip formatter={(v) => `${Math.round(Number(v))} ms`} />
        <Line type="monotone" dataKey="avgDuration" name="avg duration" stroke={COLORS.avg} dot={{ r: 3 }} isAnimationActive={false} />
      </LineChart>
    </ResponsiveContainer>
  );
}

export function TokensCostChart({ data }: { data: DayStats[] }) {
  return (
    <ResponsiveContainer width="100%" height="100%">
      <ComposedChart data={data} margin={{ top: 8, right: 0, left: -8, bottom: 0 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="date" tickFormatter={day} tick={axis} />
        <YAxis yAxisId="t" tick={axis} />
        <YAxis yAxisId="c" orientation="right" tick={axis} tickFormatter={(v: number) => `$${v}`} />
        <Tooltip />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        <Bar yAxisId="t" dataKey="aiTokensUsed" name="tokens" fill={COLORS.tokens} isAnimationActive={false} />
        <Line yAxisId="c" type="monotone" dataKey="estimatedCost" name="est. cost (USD)" stroke={COLORS.cost} dot={{ r: 2 }} isAnimationActive={false} />
      </ComposedChart>
    </ResponsiveContainer>
  );
}
