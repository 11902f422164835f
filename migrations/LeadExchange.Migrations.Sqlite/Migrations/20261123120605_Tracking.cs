using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LeadExchange.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Tracking : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Clicks",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", unicode: false, maxLength: 32, nullable: false),
                    OfferId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ParticipationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    WebmasterId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    AdvertiserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    Sub1 = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    Sub2 = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    Sub3 = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    Sub4 = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    Sub5 = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    Ip = table.Column<string>(type: "TEXT", unicode: false, maxLength: 45, nullable: false),
                    UserAgent = table.Column<string>(type: "TEXT", maxLength: 512, nullable: true),
                    Referrer = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    IsUnique = table.Column<bool>(type: "INTEGER", nullable: false),
                    FraudFlags = table.Column<string>(type: "TEXT", unicode: false, maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Clicks", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "IpBlocklist",
                columns: table => new
                {
                    Ip = table.Column<string>(type: "TEXT", unicode: false, maxLength: 45, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_IpBlocklist", x => x.Ip);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Clicks_OfferId_CreatedAt",
                table: "Clicks",
                columns: new[] { "OfferId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Clicks_WebmasterId_CreatedAt",
                table: "Clicks",
                columns: new[] { "WebmasterId", "CreatedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Clicks");

            migrationBuilder.DropTable(
                name: "IpBlocklist");
        }
    }
}
