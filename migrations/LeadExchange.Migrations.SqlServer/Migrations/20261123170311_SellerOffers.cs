using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LeadExchange.Migrations.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class SellerOffers : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "EndedAt",
                table: "LeadOrders",
                type: "datetime2",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SellerId",
                table: "LeadOrders",
                type: "nvarchar(450)",
                maxLength: 450,
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "SellerOfferId",
                table: "LeadOrders",
                type: "uniqueidentifier",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "SellerPaused",
                table: "LeadOrders",
                type: "bit",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "Notifications",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    UserId = table.Column<string>(type: "nvarchar(450)", maxLength: 450, nullable: false),
                    Text = table.Column<string>(type: "nvarchar(500)", maxLength: 500, nullable: false),
                    Link = table.Column<string>(type: "nvarchar(300)", maxLength: 300, nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "datetime2", nullable: false),
                    ReadAt = table.Column<DateTime>(type: "datetime2", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Notifications", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "SellerOffers",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    SellerId = table.Column<string>(type: "nvarchar(450)", maxLength: 450, nullable: false),
                    Title = table.Column<string>(type: "nvarchar(120)", maxLength: 120, nullable: false),
                    NicheCode = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    RegionCodes = table.Column<string>(type: "varchar(550)", unicode: false, maxLength: 550, nullable: false),
                    TrafficSources = table.Column<string>(type: "varchar(200)", unicode: false, maxLength: 200, nullable: false),
                    ExpectedPerDay = table.Column<int>(type: "int", nullable: false),
                    Exclusive = table.Column<bool>(type: "bit", nullable: false),
                    Pricing = table.Column<string>(type: "nvarchar(10)", maxLength: 10, nullable: false),
                    FixedPrice = table.Column<long>(type: "bigint", nullable: true),
                    Currency = table.Column<string>(type: "varchar(3)", unicode: false, maxLength: 3, nullable: false),
                    DeliveredFields = table.Column<string>(type: "nvarchar(1000)", maxLength: 1000, nullable: false),
                    Description = table.Column<string>(type: "nvarchar(4000)", maxLength: 4000, nullable: true),
                    SampleJson = table.Column<string>(type: "nvarchar(4000)", maxLength: 4000, nullable: false),
                    Status = table.Column<string>(type: "nvarchar(8)", maxLength: 8, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "datetime2", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "datetime2", nullable: false),
                    ClosedAt = table.Column<DateTime>(type: "datetime2", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SellerOffers", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_LeadOrders_SellerOfferId",
                table: "LeadOrders",
                column: "SellerOfferId");

            migrationBuilder.CreateIndex(
                name: "IX_Notifications_UserId_ReadAt_CreatedAt",
                table: "Notifications",
                columns: new[] { "UserId", "ReadAt", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_SellerOffers_NicheCode_Status",
                table: "SellerOffers",
                columns: new[] { "NicheCode", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_SellerOffers_SellerId_CreatedAt",
                table: "SellerOffers",
                columns: new[] { "SellerId", "CreatedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Notifications");

            migrationBuilder.DropTable(
                name: "SellerOffers");

            migrationBuilder.DropIndex(
                name: "IX_LeadOrders_SellerOfferId",
                table: "LeadOrders");

            migrationBuilder.DropColumn(
                name: "EndedAt",
                table: "LeadOrders");

            migrationBuilder.DropColumn(
                name: "SellerId",
                table: "LeadOrders");

            migrationBuilder.DropColumn(
                name: "SellerOfferId",
                table: "LeadOrders");

            migrationBuilder.DropColumn(
                name: "SellerPaused",
                table: "LeadOrders");
        }
    }
}
