// The cost directives a subgraph puts on its fields (federation's @cost and @listSize), so every router prices alike.
import { Directive } from 'type-graphql';
import { DEFAULT_PAGE_SIZE } from './pagination';

/** A connection: as many edges and nodes as `first` asks for, the default page size when it is omitted. */
export const ConnectionSize = () =>
  Directive(`@listSize(assumedSize: ${DEFAULT_PAGE_SIZE}, slicingArguments: ["first"], sizedFields: ["edges", "nodes"], requireOneSlicingArgument: false)`);

/** A plain list of about `assumedSize` items (at most, where a rule bounds it). */
export const ListSize = (assumedSize: number) => Directive(`@listSize(assumedSize: ${assumedSize})`);

/** A field that costs `weight` objects' worth of work, such as a report computed from many rows. */
export const Cost = (weight: number) => Directive(`@cost(weight: ${weight})`);
