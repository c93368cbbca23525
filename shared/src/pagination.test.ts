// Cursors and page requests: a cursor this API returned leads to the next page; anything else is refused as bad input.
import 'reflect-metadata';
import { newId } from './ids';
import { decodeCursor, encodeCursor, MAX_PAGE_SIZE, pageRequest, toConnection } from './pagination';

const refusal = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return { message: (error as Error).message, extensions: (error as { extensions?: unknown }).extensions };
  }
  throw new Error('expected a refusal');
};

describe('cursors', () => {
  it('give back the ID they were made from, without showing it in the clear', () => {
    const id = newId('prj');
    const cursor = encodeCursor(id);
    expect(cursor).not.toContain(id);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor)).toBe(id);
  });

  it.each([
    ['text that is not base64 of a cursor', 'hello'],
    ['an empty string', ''],
    ['an ID without the cursor prefix', Buffer.from(newId('prj')).toString('base64url')],
    ['a forged key', Buffer.from("cursor:' OR 1=1 --").toString('base64url')],
    ['a key that is not an ID', Buffer.from('cursor:prj_short').toString('base64url')],
    ['an ID with capitals', Buffer.from(`cursor:${newId('prj').toUpperCase()}`).toString('base64url')],
  ])('refuse %s as bad input on `after`', (_, cursor) => {
    expect(refusal(() => decodeCursor(cursor))).toEqual({
      message: '`after` is not a cursor this list returned. Pass a `pageInfo.endCursor` from a previous page.',
      extensions: { code: 'BAD_USER_INPUT', field: 'after' },
    });
  });
});

describe('page requests', () => {
  it('ask for 20 items from the start by default', () => {
    expect(pageRequest({})).toEqual({ first: 20, after: null });
    expect(pageRequest({ first: null, after: null })).toEqual({ first: 20, after: null });
  });

  it('carry the decoded cursor', () => {
    const id = newId('org');
    expect(pageRequest({ first: 5, after: encodeCursor(id) })).toEqual({ first: 5, after: id });
  });

  it.each([-1, MAX_PAGE_SIZE + 1, 1.5])('refuse first: %p', (first) => {
    expect(refusal(() => pageRequest({ first }))).toEqual({
      message: `\`first\` must be between 0 and ${MAX_PAGE_SIZE}.`,
      extensions: { code: 'BAD_USER_INPUT', field: 'first' },
    });
  });

  it('accept 0 and the maximum', () => {
    expect(pageRequest({ first: 0 }).first).toBe(0);
    expect(pageRequest({ first: MAX_PAGE_SIZE }).first).toBe(MAX_PAGE_SIZE);
  });
});

describe('connections', () => {
  const rows = [{ id: newId('prj') }, { id: newId('prj') }, { id: newId('prj') }];

  it('show `first` rows and tell from the extra row that another page follows', () => {
    const connection = toConnection(rows, { first: 2, after: null }, (row) => row.id, async () => 3);
    expect(connection.nodes).toEqual(rows.slice(0, 2));
    expect(connection.edges.map((edge) => decodeCursor(edge.cursor))).toEqual([rows[0].id, rows[1].id]);
    expect(connection.pageInfo).toEqual({
      hasNextPage: true,
      hasPreviousPage: false,
      startCursor: connection.edges[0].cursor,
      endCursor: connection.edges[1].cursor,
    });
  });

  it('end without a next page, and say a page after a cursor has items before it', () => {
    const connection = toConnection(rows, { first: 3, after: rows[0].id }, (row) => row.id, async () => 3);
    expect(connection.pageInfo.hasNextPage).toBe(false);
    expect(connection.pageInfo.hasPreviousPage).toBe(true);
  });

  it('have null cursors when the page is empty', () => {
    const connection = toConnection([], { first: 10, after: null }, (row: { id: string }) => row.id, async () => 0);
    expect(connection.pageInfo).toEqual({ hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null });
  });

  it('count the whole list only when totalCount is read, and only once', async () => {
    const count = jest.fn(async () => 42);
    const connection = toConnection(rows, { first: 2, after: null }, (row) => row.id, count);
    expect(count).not.toHaveBeenCalled();
    expect(await connection.totalCount).toBe(42);
    expect(await connection.totalCount).toBe(42);
    expect(count).toHaveBeenCalledTimes(1);
  });
});
