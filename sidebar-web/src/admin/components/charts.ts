// The admin console's ECharts pieces: one registration of what the charts draw with, and builders for the
// shape most of them share (a category axis along the bottom, counts up the side, a legend on top).
import { use } from 'echarts/core'
import { CanvasRenderer } from 'echarts/renderers'
import { BarChart, LineChart } from 'echarts/charts'
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components'

use([CanvasRenderer, BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent])

export const CHART_COLORS = {
  blue: '#409eff',
  green: '#67c23a',
  red: '#f56c6c',
  orange: '#e6a23c',
  grey: '#b1b3b8',
  dark: '#303133',
}

/** Counts are whole numbers: no 0.5 ticks. */
export const countAxis = (extra: object = {}) => ({ type: 'value', minInterval: 1, ...extra })

export interface CategoryChart {
  categories: string[]
  series: object[]
  /** One value axis (the default) or several. */
  yAxis?: object | object[]
  /** Without a legend the plot starts near the top. */
  legend?: boolean
  /** Shade the hovered category (bars side by side) instead of drawing a line. */
  shadow?: boolean
  gridRight?: number
  /** Show every label, tilted once there are more categories than this. */
  tiltAbove?: number
}

export function categoryChart(c: CategoryChart) {
  const legend = c.legend ?? true
  return {
    grid: { left: 8, right: c.gridRight ?? 16, top: legend ? 40 : 16, bottom: 8, containLabel: true },
    tooltip: c.shadow ? { trigger: 'axis', axisPointer: { type: 'shadow' } } : { trigger: 'axis' },
    ...(legend ? { legend: { top: 0 } } : {}),
    xAxis: {
      type: 'category',
      data: c.categories,
      ...(c.tiltAbove === undefined
        ? {}
        : { axisLabel: { interval: 0, rotate: c.categories.length > c.tiltAbove ? 20 : 0 } }),
    },
    yAxis: c.yAxis ?? countAxis(),
    series: c.series,
  }
}

/** A bar series; without a color ECharts takes the next one from its palette. */
export function barSeries(name: string, data: unknown[], color?: string, extra: object = {}) {
  return { name, type: 'bar', barMaxWidth: 28, ...(color ? { itemStyle: { color } } : {}), data, ...extra }
}

export interface Measure<T> {
  name: string
  color: string
  value: (row: T) => number
}

/** One category per row, one bar per measure side by side. */
export function groupedBars<T>(
  rows: T[],
  label: (row: T) => string,
  measures: Measure<T>[],
  opts: { barMaxWidth: number; tiltAbove: number },
) {
  return categoryChart({
    categories: rows.map(label),
    shadow: true,
    tiltAbove: opts.tiltAbove,
    series: measures.map((m) =>
      barSeries(m.name, rows.map(m.value), m.color, { barMaxWidth: opts.barMaxWidth }),
    ),
  })
}
