/** Per original table: rows written now, and rows a previous run already brought over. */
export interface WriteCount {
  table: string
  written: number
  alreadyThere: number
}
